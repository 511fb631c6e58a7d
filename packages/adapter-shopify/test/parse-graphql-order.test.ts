import { createEngine, MAX_UNITS } from "@restock/core";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";
import { rejection } from "./rejection.js";

const parse = (name: string) => shopifyAdapter.parse(fixture(name));

describe("Shopify GraphQL order", () => {
  it("reads data.order: gid tails as ids, the upper-case reason, the staff note", () => {
    expect(parse("graphql-order-cancelled-inventory")).toEqual({
      cancellations: [
        {
          marketplace: "shopify",
          orderId: "5324790137143",
          occurredAt: "2025-03-05T09:14:02Z",
          lines: [{ lineId: "13688971559227", sku: "MUG-BLUE-12OZ", quantity: 1, orderedQuantity: 1, reason: { code: "INVENTORY" } }],
          note: "Supplier backorder, cannot fulfil",
        },
      ],
      ignored: [],
    });
  });

  it("reads a bare order with lineItems as edges", () => {
    const [cancellation] = parse("graphql-order-cancelled-customer-bare-order").cancellations;
    expect(cancellation?.orderId).toBe("5324790137302");
    expect(cancellation?.note).toBe("Customer called to cancel");
    expect(cancellation?.lines.map((line) => [line.lineId, line.sku, line.quantity, line.reason?.code])).toEqual([
      ["13688971700002", "COASTER-SET-4", 1, "CUSTOMER"],
      ["13688971700003", "MUG-BLUE-12OZ", 2, "CUSTOMER"],
    ]);
  });

  it("counts quantity − currentQuantity as cancelled", () => {
    expect(parse("graphql-order-cancelled-other-partly-fulfilled").cancellations[0]?.lines).toEqual([
      { lineId: "13688971700004", sku: "LAMP-DESK-BRASS", quantity: 2, orderedQuantity: 3, reason: { code: "OTHER" } },
    ]);
  });

  it("never counts shipped units as cancelled: a returned unit also left currentQuantity", () => {
    // 3 ordered, 2 fulfilled, 1 of those refunded as a return, then the order cancelled: currentQuantity 1.
    expect(parse("graphql-order-cancelled-customer-after-a-return").cancellations[0]?.lines).toEqual([
      { lineId: "13688971700007", sku: "LAMP-DESK-BRASS", quantity: 1, orderedQuantity: 3, reason: { code: "CUSTOMER" } },
    ]);
  });

  it("without currentQuantity, counts the units not in a fulfillment", () => {
    expect(parse("graphql-order-cancelled-fraud-fulfillments-without-current-quantity").cancellations[0]?.lines).toEqual([
      { lineId: "13688971700005", sku: "LAMP-DESK-BRASS", quantity: 1, orderedQuantity: 2, reason: { code: "FRAUD" } },
      { lineId: "13688971700006", sku: "MUG-BLUE-12OZ", quantity: 1, orderedQuantity: 1, reason: { code: "FRAUD" } },
    ]);
  });

  it("ignores an order whose cancelledAt is null", () => {
    expect(parse("graphql-order-not-cancelled").ignored).toEqual([
      {
        kind: "order",
        reason: "not_a_cancellation",
        orderId: "5324790137305",
        detail: "cancelledAt is not set: the order is not cancelled",
      },
    ]);
  });

  it("cuts a staff note to the canonical limit instead of rejecting the order", () => {
    const response = JSON.parse(fixture("graphql-order-cancelled-inventory"));
    response.data.order.cancellation.staffNote = "n".repeat(10_000);
    expect(shopifyAdapter.parse(response).cancellations[0]?.note).toHaveLength(4096);
  });

  it.each([
    ["malformed-graphql-order-bad-gid", "data.order.id"],
    ["malformed-graphql-order-current-quantity-non-numeric", "data.order.lineItems.nodes[0].currentQuantity"],
    ["malformed-graphql-order-null", "data.order"],
  ])("%s is rejected at %s", (name, path) => {
    expect(rejection(fixture(name)).path).toBe(path);
  });

  it("rejects a body that is neither an order nor a refund", () => {
    expect(rejection(fixture("malformed-document-not-a-shopify-payload")).message).toMatch(/not a Shopify payload/);
  });
});

describe("Shopify GraphQL order: unit counts above MAX_UNITS", () => {
  const engine = createEngine({ adapters: [shopifyAdapter] });
  const decided = (payload: unknown) =>
    engine.evaluate({ marketplace: "shopify", mode: "smart", payload: JSON.stringify(payload) }).cancellations[0]?.decisions;

  it.each([MAX_UNITS + 1, 9007199254740991])(
    "quantity, currentQuantity and fulfillmentLineItems quantity %d are rejected there",
    (units) => {
      const inventory = JSON.parse(fixture("graphql-order-cancelled-inventory"));
      inventory.data.order.lineItems.nodes[0].quantity = units;
      expect(rejection(JSON.stringify(inventory)).path).toBe("data.order.lineItems.nodes[0].quantity");
      inventory.data.order.lineItems.nodes[0].quantity = 1;
      inventory.data.order.lineItems.nodes[0].currentQuantity = units;
      expect(rejection(JSON.stringify(inventory)).path).toBe("data.order.lineItems.nodes[0].currentQuantity");
      const fraud = JSON.parse(fixture("graphql-order-cancelled-fraud-fulfillments-without-current-quantity"));
      fraud.data.order.fulfillments[0].fulfillmentLineItems.nodes[0].quantity = units;
      expect(rejection(JSON.stringify(fraud)).path).toBe("data.order.fulfillments[0].fulfillmentLineItems.nodes[0].quantity");
    },
  );

  it("a quantity of MAX_UNITS is accepted and decided", () => {
    const inventory = JSON.parse(fixture("graphql-order-cancelled-inventory"));
    inventory.data.order.lineItems.nodes[0].quantity = MAX_UNITS;
    expect(decided(inventory)?.[0]).toMatchObject({ quantity: MAX_UNITS, restore: false });
  });
});
