import { createEngine, MAX_UNITS } from "@restock/core";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";
import { rejection } from "./rejection.js";

const parse = (name: string) => shopifyAdapter.parse(fixture(name));

describe("Shopify orders/cancelled (REST order)", () => {
  it("cancels every line at its full quantity under the order's cancel_reason", () => {
    expect(parse("orders-cancelled-customer")).toEqual({
      cancellations: [
        {
          marketplace: "shopify",
          orderId: "5324790137142",
          occurredAt: "2025-03-04T12:40:25-05:00",
          lines: [
            { lineId: "13688971493691", sku: "MUG-BLUE-12OZ", quantity: 2, orderedQuantity: 2, reason: { code: "customer" } },
            { lineId: "13688971526459", sku: "COASTER-SET-4", quantity: 1, orderedQuantity: 1, reason: { code: "customer" } },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("gives a redelivered webhook the same cumulative result", () => {
    expect(parse("orders-cancelled-customer-redelivered")).toEqual(parse("orders-cancelled-customer"));
  });

  it.each([
    ["orders-cancelled-fraud", "fraud"],
    ["orders-cancelled-declined", "declined"],
    ["orders-cancelled-inventory", "inventory"],
    ["orders-cancelled-other", "other"],
    ["orders-cancelled-staff", "staff"],
    ["orders-cancelled-unknown-reason", "warehouse_closure"],
  ])("%s carries the reason %s", (name, code) => {
    const [cancellation] = parse(name).cancellations;
    expect(cancellation?.lines.map((line) => line.reason)).toEqual([{ code }]);
  });

  it("keeps a null cancel_reason as no reason", () => {
    expect(parse("orders-cancelled-no-reason").cancellations[0]?.lines).toEqual([
      { lineId: "13688971600006", sku: "COASTER-SET-4", quantity: 2, orderedQuantity: 2, reason: null },
    ]);
  });

  it("leaves shipped units out, counting only fulfillments that went out", () => {
    // Lamp: 3 ordered, 1 shipped (the cancelled fulfillment of 2 shipped nothing); coasters: all shipped.
    expect(parse("orders-cancelled-partially-fulfilled").cancellations[0]?.lines).toEqual([
      { lineId: "13688971600008", sku: "LAMP-DESK-BRASS", quantity: 2, orderedQuantity: 3, reason: { code: "customer" } },
      { lineId: "13688971600010", sku: "MUG-BLUE-12OZ", quantity: 1, orderedQuantity: 1, reason: { code: "customer" } },
    ]);
  });

  it("treats a fulfilled order without fulfillments as all shipped: nothing is cancelled", () => {
    expect(parse("orders-cancelled-fulfilled-without-fulfillments")).toEqual({
      cancellations: [],
      ignored: [
        { kind: "order", reason: "not_a_cancellation", orderId: "5324790137209", detail: "every unit had shipped before the cancellation" },
      ],
    });
  });

  it("uses what is left on a partly fulfilled line as shipped when no fulfillments are given", () => {
    const order = JSON.parse(fixture("orders-cancelled-partially-fulfilled"));
    delete order.fulfillments;
    expect(shopifyAdapter.parse(order).cancellations[0]?.lines.map((line) => [line.lineId, line.quantity])).toEqual([
      ["13688971600008", 2],
      ["13688971600010", 1],
    ]);
  });

  it("leaves a line without a SKU out and names it in the note", () => {
    const [cancellation] = parse("orders-cancelled-custom-item-without-sku").cancellations;
    expect(cancellation?.lines.map((line) => line.lineId)).toEqual(["13688971600012"]);
    expect(cancellation?.note).toBe("cancelled lines without a SKU, left out: 13688971600013");
  });

  it("ignores an order that is not cancelled", () => {
    expect(parse("orders-updated-not-cancelled").ignored).toEqual([
      {
        kind: "order",
        reason: "not_a_cancellation",
        orderId: "5324790137211",
        detail: "cancelled_at is not set: the order is not cancelled",
      },
    ]);
  });

  it("reads a REST order wrapped as { order }, and falls back to the numeric id without admin_graphql_api_id", () => {
    const order = JSON.parse(fixture("orders-cancelled-customer"));
    delete order.admin_graphql_api_id;
    for (const line of order.line_items) delete line.admin_graphql_api_id;
    expect(shopifyAdapter.parse({ order })).toEqual(parse("orders-cancelled-customer"));
  });

  it.each([
    ["malformed-orders-cancelled-missing-order-id", "id"],
    ["malformed-orders-cancelled-quantity-negative", "line_items[0].quantity"],
    ["malformed-orders-cancelled-quantity-fractional", "line_items[0].quantity"],
    ["malformed-orders-cancelled-quantity-string", "line_items[0].quantity"],
    ["malformed-orders-cancelled-line-items-not-array", "line_items"],
    ["malformed-orders-cancelled-cancelled-at-not-a-date", "cancelled_at"],
    ["malformed-orders-cancelled-order-gid-of-another-type", "admin_graphql_api_id"],
  ])("%s is rejected at %s", (name, path) => {
    expect(rejection(fixture(name)).path).toBe(path);
  });

  it("rejects two line items with one id", () => {
    const order = JSON.parse(fixture("orders-cancelled-customer"));
    order.line_items[1].admin_graphql_api_id = order.line_items[0].admin_graphql_api_id;
    expect(rejection(order).path).toBe("line_items[1].id");
  });
});

describe("Shopify orders/cancelled: unit counts above MAX_UNITS", () => {
  const engine = createEngine({ adapters: [shopifyAdapter] });
  const decided = (payload: unknown) =>
    engine.evaluate({ marketplace: "shopify", mode: "smart", payload: JSON.stringify(payload) }).cancellations[0]?.decisions;
  const order = () => JSON.parse(fixture("orders-cancelled-partially-fulfilled"));

  it.each([MAX_UNITS + 1, 9007199254740991])(
    "line_items[].quantity, current_quantity and fulfillment quantity %d are rejected there",
    (units) => {
      const ordered = order();
      ordered.line_items[0].quantity = units;
      expect(rejection(JSON.stringify(ordered)).path).toBe("line_items[0].quantity");
      const current = order();
      current.line_items[0].current_quantity = units;
      expect(rejection(JSON.stringify(current)).path).toBe("line_items[0].current_quantity");
      const shipped = order();
      shipped.fulfillments[0].line_items[0].quantity = units;
      expect(rejection(JSON.stringify(shipped)).path).toBe("fulfillments[0].line_items[0].quantity");
    },
  );

  it("an ordered quantity of MAX_UNITS is accepted and decided", () => {
    const ordered = order();
    ordered.line_items[2].quantity = MAX_UNITS;
    expect(decided(ordered)?.find((decision) => decision.sku === "MUG-BLUE-12OZ")).toMatchObject({ quantity: MAX_UNITS });
  });
});
