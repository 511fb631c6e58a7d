import { createEngine, MAX_UNITS } from "@restock/core";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";
import { rejection } from "./rejection.js";

const parse = (name: string) => shopifyAdapter.parse(fixture(name));

describe("Shopify refunds/create", () => {
  it("turns a cancel refund line into a line cancellation with no reason", () => {
    expect(parse("refunds-create-line-cancel")).toEqual({
      cancellations: [
        {
          marketplace: "shopify",
          orderId: "5324790137144",
          cancellationId: "941285212214",
          occurredAt: "2025-03-06T11:02:44-05:00",
          lines: [{ lineId: "13688971591995", sku: "COASTER-SET-4", quantity: 1, orderedQuantity: 3, reason: null }],
        },
      ],
      ignored: [],
    });
    expect(parse("refunds-create-line-cancel-redelivered")).toEqual(parse("refunds-create-line-cancel"));
  });

  it("reports the cumulative total on a second cancel of the same line (quantity − current_quantity)", () => {
    expect(parse("refunds-create-second-line-cancel").cancellations[0]?.lines).toEqual([
      { lineId: "13688971591995", sku: "COASTER-SET-4", quantity: 2, orderedQuantity: 3, reason: null },
    ]);
  });

  it("falls back to the refund line's quantity without current_quantity or a null fulfillment_status", () => {
    expect(parse("refunds-create-line-cancel-without-current-quantity").cancellations[0]?.lines).toEqual([
      { lineId: "13688971624763", sku: "MUG-BLUE-12OZ", quantity: 2, orderedQuantity: 4, reason: null },
    ]);
    // Partly shipped: quantity − fulfillable_quantity would count the shipped units as cancelled.
    const partlyShipped = JSON.parse(fixture("refunds-create-second-line-cancel-unfulfilled-without-current-quantity"));
    partlyShipped.refund_line_items[0].line_item.fulfillment_status = "partial";
    expect(shopifyAdapter.parse(JSON.stringify(partlyShipped)).cancellations[0]?.lines[0]?.quantity).toBe(1);
  });

  it("reads the cumulative total of an unfulfilled line without current_quantity (quantity − fulfillable_quantity)", () => {
    // The second cancel refund of the mug line above: 2 units removed before, 1 now, 1 left to ship.
    expect(parse("refunds-create-second-line-cancel-unfulfilled-without-current-quantity").cancellations[0]?.lines).toEqual([
      { lineId: "13688971624763", sku: "MUG-BLUE-12OZ", quantity: 3, orderedQuantity: 4, reason: null },
    ]);
  });

  it("ignores a money-only refund as partial_refund and a return as not_a_cancellation", () => {
    expect(parse("refunds-create-money-only")).toEqual({
      cancellations: [],
      ignored: [{ kind: "refunds/create", reason: "partial_refund", orderId: "5324790137146", detail: "a refund that cancels no units" }],
    });
    expect(parse("refunds-create-return")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "refunds/create",
          reason: "not_a_cancellation",
          orderId: "5324790137147",
          detail: "a return: the refunded units were restocked as returned",
        },
      ],
    });
  });

  it.each([
    ["malformed-refunds-create-missing-order-id", "order_id"],
    ["malformed-refunds-create-quantity-negative", "refund_line_items[0].quantity"],
    ["malformed-refunds-create-current-quantity-fractional", "refund_line_items[0].line_item.current_quantity"],
    ["malformed-refunds-create-fulfillable-quantity-fractional", "refund_line_items[0].line_item.fulfillable_quantity"],
  ])("%s is rejected at %s", (name, path) => {
    expect(rejection(fixture(name)).path).toBe(path);
  });
});

describe("Shopify refunds/create: unit counts above MAX_UNITS", () => {
  const engine = createEngine({ adapters: [shopifyAdapter] });
  const decided = (payload: unknown) =>
    engine.evaluate({ marketplace: "shopify", mode: "smart", payload: JSON.stringify(payload) }).cancellations[0]?.decisions;
  const refund = () => JSON.parse(fixture("refunds-create-line-cancel"));

  it.each([MAX_UNITS + 1, 9007199254740991])(
    "quantity, line_item.quantity and line_item.current_quantity %d are rejected there",
    (units) => {
      const refunded = refund();
      refunded.refund_line_items[0].quantity = units;
      expect(rejection(JSON.stringify(refunded)).path).toBe("refund_line_items[0].quantity");
      const ordered = refund();
      ordered.refund_line_items[0].line_item.quantity = units;
      expect(rejection(JSON.stringify(ordered)).path).toBe("refund_line_items[0].line_item.quantity");
      const current = refund();
      current.refund_line_items[0].line_item.current_quantity = units;
      expect(rejection(JSON.stringify(current)).path).toBe("refund_line_items[0].line_item.current_quantity");
    },
  );

  it("a line ordered and cancelled at MAX_UNITS is accepted and decided", () => {
    const refunded = refund();
    refunded.refund_line_items[0].quantity = MAX_UNITS;
    Object.assign(refunded.refund_line_items[0].line_item, { quantity: MAX_UNITS, current_quantity: 0 });
    expect(decided(refunded)?.[0]).toMatchObject({ quantity: MAX_UNITS });
  });
});
