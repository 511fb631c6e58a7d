import { describe, expectTypeOf, it } from "vitest";
import { type Adapter, type DefinedAdapter, defineAdapter, type WebhookRequest } from "../src/index.js";

// Type-level checks, enforced by `tsc` (the package's typecheck): the runtime assertions are
// trivially true, the types are what is tested.
const base = { displayName: "Acme", contractVersion: 1 as const, reasons: [], parse: () => ({ cancellations: [], ignored: [] }) };

describe("the type defineAdapter returns", () => {
  it("has verifyWebhook when the definition gives it, so a host calls it without `!`", () => {
    const signed = defineAdapter({ ...base, id: "acme-signed", verifyWebhook: (_request: WebhookRequest, _secret: string) => false });
    expectTypeOf(signed.verifyWebhook).toEqualTypeOf<(request: WebhookRequest, secret: string) => boolean>();
    expectTypeOf(signed).toMatchTypeOf<Adapter>();
    expectTypeOf(signed.verifyWebhook({ headers: {}, rawBody: Buffer.from("{}") }, "secret")).toEqualTypeOf<boolean>();
  });

  it("keeps them optional when the definition does not give them", () => {
    const polled = defineAdapter({ ...base, id: "acme-polled" });
    expectTypeOf(polled.verifyWebhook).toEqualTypeOf<((request: WebhookRequest, secret: string) => boolean) | undefined>();
    expectTypeOf(polled.checkWebhookSecret).toEqualTypeOf<((secret: string) => string | null) | undefined>();
  });

  it("has checkWebhookSecret when given", () => {
    const checked = defineAdapter({
      ...base,
      id: "acme-checked",
      verifyWebhook: () => false,
      checkWebhookSecret: (secret: string) => (secret ? null : "empty"),
    });
    expectTypeOf(checked.checkWebhookSecret).toEqualTypeOf<(secret: string) => string | null>();
    expectTypeOf<DefinedAdapter>().toEqualTypeOf<Adapter & unknown & unknown>();
  });
});
