import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { noReasonAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => noReasonAdapter.parse(fixture(name));

function rejection(name: string): PayloadError {
  try {
    noReasonAdapter.parse(fixture(name));
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe("no-reason: parse", () => {
  it("keeps the note, normalizes the time and gives every line reason null", () => {
    expect(parse("etsy-receipt-canceled-with-note")).toEqual({
      cancellations: [
        {
          marketplace: "no-reason",
          orderId: "3141592653",
          occurredAt: "2025-03-04T12:40:25.000Z",
          lines: [{ lineId: "RING-SLV-7", sku: "RING-SLV-7", quantity: 1, orderedQuantity: 1, reason: null }],
          note: "Buyer: ordered the wrong size, please cancel",
        },
      ],
      ignored: [],
    });
  });

  it("keeps explicit line ids, so one SKU may be on two lines", () => {
    const [cancellation] = parse("woocommerce-order-cancelled-multi-line").cancellations;
    expect(cancellation?.occurredAt).toBe("2025-03-05T08:12:00.000Z");
    expect(cancellation?.lines.map((line) => [line.lineId, line.sku, line.quantity])).toEqual([
      ["line-101", "MUG-BLUE-12OZ", 2],
      ["line-102", "MUG-BLUE-12OZ", 1],
      ["line-103", "COASTER-SET-4", 1],
    ]);
  });

  it("a partial cancellation keeps its cumulative quantity and ordered quantity; redelivery is identical", () => {
    expect(parse("bigcommerce-partial-cancel").cancellations).toEqual([
      {
        marketplace: "no-reason",
        orderId: "BC-100245",
        cancellationId: "refund-5521",
        occurredAt: "2025-03-06T15:00:00.000Z",
        lines: [{ lineId: "item-77", sku: "TEE-BLK-L", quantity: 1, orderedQuantity: 3, reason: null }],
      },
    ]);
    expect(parse("bigcommerce-partial-cancel-redelivered")).toEqual(parse("bigcommerce-partial-cancel"));
  });

  it("the line id defaults to the SKU; without a time occurredAt is null", () => {
    expect(parse("magento-order-canceled-sku-as-line-id").cancellations[0]).toEqual({
      marketplace: "no-reason",
      orderId: "000000451",
      occurredAt: null,
      lines: [
        { lineId: "LAMP-DESK-WHT", sku: "LAMP-DESK-WHT", quantity: 1, reason: null },
        { lineId: "BULB-E27", sku: "BULB-E27", quantity: 4, reason: null },
      ],
    });
  });

  it("the output marketplace is always no-reason, whatever the payload says", () => {
    expect(parse("target-plus-cancel-with-marketplace-name").cancellations[0]?.marketplace).toBe("no-reason");
  });
});

describe("no-reason: malformed payloads name the field", () => {
  it.each([
    ["malformed-missing-order-id", "orderId"],
    ["malformed-order-id-number", "orderId"],
    ["malformed-quantity-negative", "lines[0].quantity"],
    ["malformed-quantity-fractional", "lines[0].quantity"],
    ["malformed-quantity-string", "lines[0].quantity"],
    ["malformed-quantity-zero", "lines[0].quantity"],
    ["malformed-quantity-above-ordered", "lines[0].quantity"],
    ["malformed-duplicate-sku-without-line-id", "lines[1].sku"],
    ["malformed-duplicate-line-id", "lines[1].lineId"],
    ["malformed-no-lines", "lines"],
    ["malformed-lines-wrong-type", "lines"],
    ["malformed-occurred-at-not-iso", "occurredAt"],
  ])("%s → %s", (name, path) => {
    expect(rejection(name).path).toBe(path);
  });

  it("asks for line ids when a SKU repeats", () => {
    expect(rejection("malformed-duplicate-sku-without-line-id").message).toBe(
      'lines[1].sku: SKU "MUG" is on two lines: give each line a lineId',
    );
  });
});

describe("no-reason: quantities above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [noReasonAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "no-reason", mode: "smart", payload: JSON.stringify(payload) });
  const partialCancel = () => JSON.parse(fixture("bigcommerce-partial-cancel"));

  it.each([MAX_UNITS + 1, 9007199254740991])("quantity %d, with and without orderedQuantity", (units) => {
    const cancellation = partialCancel();
    Object.assign(cancellation.lines[0], { quantity: units, orderedQuantity: units });
    expect(payloadRefusal(noReasonAdapter, cancellation).path).toBe("lines[0].quantity");
    delete cancellation.lines[0].orderedQuantity;
    expect(payloadRefusal(noReasonAdapter, cancellation).path).toBe("lines[0].quantity");
  });

  it.each([MAX_UNITS + 1, 9007199254740991])("orderedQuantity %d", (units) => {
    const cancellation = partialCancel();
    cancellation.lines[0].orderedQuantity = units;
    expect(payloadRefusal(noReasonAdapter, cancellation).path).toBe("lines[0].orderedQuantity");
  });

  it("MAX_UNITS as quantity and orderedQuantity is accepted and decided", () => {
    const cancellation = partialCancel();
    Object.assign(cancellation.lines[0], { quantity: MAX_UNITS, orderedQuantity: MAX_UNITS });
    expect(evaluate(cancellation).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS, restore: true });
  });
});

describe("no-reason: ids and SKUs that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [noReasonAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "no-reason", mode: "smart", payload: JSON.stringify(payload) });
  const partialCancel = () => JSON.parse(fixture("bigcommerce-partial-cancel"));

  it.each([
    ["a lone surrogate in the SKU", "sku", "LONE\udc80", "lines[0].sku"],
    ["a lone surrogate in the line id", "lineId", "LINE\ud800", "lines[0].lineId"],
    ["NUL in the SKU", "sku", "TEE\u0000BLK", "lines[0].sku"],
  ])("%s", (_, field, value, path) => {
    const cancellation = partialCancel();
    cancellation.lines[0][field] = value;
    expect(JSON.stringify(cancellation)).toMatch(/\\u(dc80|d800|0000)/);
    const error = payloadRefusal(noReasonAdapter, cancellation);
    expect(error.path).toBe(path);
    expect(error.message).toMatch(/must be well-formed text without NUL characters/);
  });

  it("a lone surrogate in a SKU that is also the line id", () => {
    const cancellation = partialCancel();
    delete cancellation.lines[0].lineId;
    cancellation.lines[0].sku = "LONE\udc80";
    expect(payloadRefusal(noReasonAdapter, cancellation).path).toBe("lines[0].sku");
  });

  it.each([
    ["orderId", "BC-100245\u0000"],
    ["cancellationId", "refund\u00005521"],
    ["orderId", "\udc80BC-100245"],
  ])("%s %j", (field, value) => {
    const cancellation = { ...partialCancel(), [field]: value };
    expect(payloadRefusal(noReasonAdapter, cancellation).path).toBe(field);
  });

  it("a SKU with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const cancellation = partialCancel();
    cancellation.lines[0].sku = "TEE-\u{1F455}-L";
    expect(evaluate(cancellation).cancellations[0]?.decisions[0]).toMatchObject({ sku: "TEE-\u{1F455}-L", quantity: 1 });
    const escaped = JSON.stringify(cancellation).replace("\u{1F455}", "\\ud83d\\udc55");
    expect(escaped).toContain("\\ud83d\\udc55");
    const result = engine.evaluate({ marketplace: "no-reason", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "TEE-\u{1F455}-L" });
  });
});

describe("no-reason: decisions through the engine", () => {
  it("restores by smart.no_reason", () => {
    const engine = createEngine({ adapters: [noReasonAdapter] });
    const result = engine.evaluate({ marketplace: "no-reason", mode: "smart", payload: fixture("woocommerce-order-cancelled-multi-line") });
    expect(result.cancellations[0]?.decisions.map((d) => [d.lineId, d.quantity, d.restore, d.rule, d.reasonOrigin])).toEqual([
      ["line-101", 2, true, "smart.no_reason", "none"],
      ["line-102", 1, true, "smart.no_reason", "none"],
      ["line-103", 1, true, "smart.no_reason", "none"],
    ]);
  });

  it("as the fallback, serves any channel under the integration's marketplace name", () => {
    const engine = createEngine({ adapters: [], fallback: noReasonAdapter });
    const result = engine.evaluate({ marketplace: "etsy", mode: "smart", payload: fixture("etsy-receipt-canceled-with-note") });
    expect(result.adapterId).toBe("no-reason");
    expect(result.cancellations[0]?.cancellation).toMatchObject({
      marketplace: "etsy",
      orderId: "3141592653",
      note: "Buyer: ordered the wrong size, please cancel",
    });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "RING-SLV-7", restore: true, rule: "smart.no_reason" });
  });

  it("never mode withholds", () => {
    const engine = createEngine({ adapters: [noReasonAdapter] });
    const result = engine.evaluate({ marketplace: "no-reason", mode: "never", payload: fixture("etsy-receipt-canceled-with-note") });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, rule: "never" });
  });
});

describe("no-reason: webhook shared secret", () => {
  it("accepts the x-restock-token header or ?token=, and nothing else", () => {
    const verify = noReasonAdapter.verifyWebhook;
    expect(noReasonAdapter.capabilities.webhookAuth).toBe("shared-secret");
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "{}" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/etsy?token=s3cret" }, "s3cret")).toBe(true);
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "{}" }, "")).toBe(false);
  });
});
