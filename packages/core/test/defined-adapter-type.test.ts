import { describe, expect, expectTypeOf, it } from "vitest";
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
    expectTypeOf(checked).toEqualTypeOf<DefinedAdapter<"verifyWebhook" | "checkWebhookSecret">>();
    expectTypeOf(defineAdapter({ ...base, id: "acme-signed-only", verifyWebhook: () => false })).toEqualTypeOf<
      DefinedAdapter<"verifyWebhook">
    >();
    expectTypeOf(defineAdapter({ ...base, id: "acme-none" })).toEqualTypeOf<DefinedAdapter>();
  });

  // The generic parameter lost the excess property check the plain \`AdapterDefinition\` parameter
  // had: a misspelt \`verifyWebhok\` compiled, and defineAdapter drops keys it does not know, so the
  // adapter had no verifyWebhook and the worker fell back to the shared-secret token.
  it("refuses a key the contract does not have, as a misspelt optional check", () => {
    const verify = (_request: WebhookRequest, _secret: string) => false;
    // @ts-expect-error: verifyWebhok is not a field of AdapterDefinition
    expect(() => defineAdapter({ ...base, id: "acme-misspelt", verifyWebhok: verify })).not.toThrow();
    // @ts-expect-error: checkWebhookSecrets is not a field of AdapterDefinition
    defineAdapter({ ...base, id: "acme-misspelt-check", checkWebhookSecrets: (_secret: string) => null });
    // The callbacks keep their parameter types (noImplicitAny would refuse them otherwise).
    const inferred = defineAdapter({
      ...base,
      id: "acme-inferred",
      parse: (raw) => {
        expectTypeOf(raw).toEqualTypeOf<unknown>();
        return { cancellations: [], ignored: [] };
      },
      verifyWebhook: (request, secret) => {
        expectTypeOf(request).toEqualTypeOf<WebhookRequest>();
        return secret.length > 0 && request.rawBody.length > 0;
      },
      checkWebhookSecret: (secret) => (secret.length < 8 ? "too short" : null),
    });
    expectTypeOf(inferred.verifyWebhook).toEqualTypeOf<(request: WebhookRequest, secret: string) => boolean>();
    expectTypeOf(inferred.checkWebhookSecret).toEqualTypeOf<(secret: string) => string | null>();
  });
});
