import { describe, expect, it } from "vitest";
import { AdapterError, defineAdapter, isPayloadError } from "../src/index.js";
import { payloadRefusal } from "../src/testing/index.js";
import { exampleAdapter } from "./example-adapter/example-adapter.js";

const order = (id: string) => ({
  order: { id, status: "cancelled", reason: "CUSTOMER", lines: [{ id: "1", sku: "MUG", ordered: 2, cancelled: 1 }] },
});

describe("payloadRefusal", () => {
  it("returns the engine's PayloadError for a value, its text or its bytes", () => {
    const refused = { order: { ...order("A-1").order, lines: [] } };
    for (const payload of [refused, JSON.stringify(refused), new TextEncoder().encode(JSON.stringify(refused))]) {
      const error = payloadRefusal(exampleAdapter, payload);
      expect(isPayloadError(error)).toBe(true);
      expect(error.path).toBe("order.lines");
    }
    expect(payloadRefusal(exampleAdapter, new Uint8Array([0xff])).message).toMatch(/not valid UTF-8/);
  });

  it("checks the path and message when given", () => {
    const refused = order("");
    expect(payloadRefusal(exampleAdapter, refused, { path: "order.id", message: /order\.id/ }).path).toBe("order.id");
    expect(() => payloadRefusal(exampleAdapter, refused, { path: "order.lines" })).toThrow(/names "order.id", expected "order.lines"/);
    expect(() => payloadRefusal(exampleAdapter, refused, { message: /no such words/ })).toThrow(/does not match/);
  });

  it("fails when the payload is accepted, or with any other error", () => {
    expect(() => payloadRefusal(exampleAdapter, order("A-1"))).toThrow(/the payload was accepted/);
    expect(() => payloadRefusal(exampleAdapter, order("A-1"), { marketplace: "nowhere" })).toThrow();
    const broken = defineAdapter({
      id: "broken",
      displayName: "Broken",
      contractVersion: 1,
      reasons: [],
      parse() {
        throw new TypeError("a bug");
      },
    });
    expect(() => payloadRefusal(broken, {})).toThrow(AdapterError);
  });
});
