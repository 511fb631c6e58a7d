import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { wayfairAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => wayfairAdapter.parse(fixture(name));

function rejection(name: string): PayloadError {
  try {
    wayfairAdapter.parse(fixture(name));
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe("wayfair: purchase orders", () => {
  it("a product with isCancelled true is a cancelled line at its full quantity, with no reason", () => {
    expect(parse("purchase-orders-one-line-cancelled-no-reason")).toEqual({
      cancellations: [
        {
          marketplace: "wayfair",
          orderId: "CS123456781",
          occurredAt: null,
          lines: [{ lineId: "SOFA-GRY-3S", sku: "SOFA-GRY-3S", quantity: 1, orderedQuantity: 1, reason: null }],
        },
      ],
      ignored: [],
    });
    expect(parse("purchase-orders-one-line-cancelled-no-reason-redelivered")).toEqual(
      parse("purchase-orders-one-line-cancelled-no-reason"),
    );
  });

  it("a product's restockReason wins over the order's", () => {
    expect(parse("purchase-orders-multi-line-mixed-reasons").cancellations[0]?.lines).toEqual([
      { lineId: "BED-QUEEN-WAL", sku: "BED-QUEEN-WAL", quantity: 1, orderedQuantity: 1, reason: { code: "OUT_OF_STOCK" } },
      {
        lineId: "NIGHTSTAND-WAL",
        sku: "NIGHTSTAND-WAL",
        quantity: 2,
        orderedQuantity: 2,
        reason: { code: "CUSTOMER_REQUESTED_CANCELLATION" },
      },
    ]);
  });

  it("reads restockReason as { code, label } or a string", () => {
    expect(
      parse("purchase-order-customer-requested-cancellation").cancellations[0]?.lines.map((line) => [line.sku, line.quantity, line.reason]),
    ).toEqual([
      ["TABLE-OAK-6", 1, { code: "CUSTOMER_REQUESTED_CANCELLATION", label: "Customer Requested Cancellation" }],
      ["CHAIR-OAK", 4, { code: "CUSTOMER_REQUESTED_CANCELLATION", label: "Customer Requested Cancellation" }],
    ]);
    expect(parse("purchase-order-out-of-stock-line-reason").cancellations[0]?.lines).toEqual([
      { lineId: "RUG-BLU-5X8", sku: "RUG-BLU-5X8", quantity: 1, orderedQuantity: 1, reason: { code: "OUT_OF_STOCK" } },
    ]);
  });

  it("a purchase order with no cancelled product is not a cancellation", () => {
    expect(parse("purchase-order-none-cancelled")).toEqual({
      cancellations: [],
      ignored: [
        { kind: "purchaseOrder", reason: "not_a_cancellation", orderId: "CS123456787", detail: "no product has isCancelled: true" },
      ],
    });
  });

  it("accepts an array of purchase orders and a bare one", () => {
    const { cancellations, ignored } = parse("purchase-orders-array-two-orders");
    expect(cancellations.map((c) => [c.orderId, c.lines.map((line) => line.sku)])).toEqual([["CS123456788", ["CABINET-GRY"]]]);
    expect(ignored.map((event) => event.orderId)).toEqual(["CS123456789"]);
    expect(parse("purchase-order-bare").cancellations[0]?.lines[0]?.reason).toEqual({ code: "customer requested cancellation" });
  });
});

describe("wayfair: malformed payloads name the field", () => {
  it.each([
    ["malformed-missing-po-number", "data.purchaseOrders[0].poNumber"],
    ["malformed-quantity-negative", "data.purchaseOrders[0].products[0].quantity"],
    ["malformed-quantity-fractional", "data.purchaseOrders[0].products[0].quantity"],
    ["malformed-quantity-string", "data.purchaseOrders[0].products[0].quantity"],
    ["malformed-is-cancelled-string", "data.purchaseOrders[0].products[0].isCancelled"],
    ["malformed-products-wrong-type", "data.purchaseOrders[0].products"],
    ["malformed-duplicate-part-number", "data.purchaseOrders[0].products[1].partNumber"],
    ["malformed-restock-reason-number", "data.purchaseOrders[0].products[0].restockReason"],
    ["malformed-graphql-errors", "errors"],
    ["malformed-document-empty-array", ""],
  ])("%s → %s", (name, path) => {
    expect(rejection(name).path).toBe(path);
  });

  it("reports a failed query's message", () => {
    expect(rejection("malformed-graphql-errors").message).toBe(
      "errors: the response holds GraphQL errors, not purchase orders: Unauthorized: token expired",
    );
  });
});

describe("wayfair: quantities above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [wayfairAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "wayfair", mode: "smart", payload: JSON.stringify(payload) });

  it.each([MAX_UNITS + 1, 9007199254740991])("products[].quantity %d, bare, in an array and in a GraphQL response", (units) => {
    const order = JSON.parse(fixture("purchase-order-bare"));
    order.products[0].quantity = units;
    expect(payloadRefusal(wayfairAdapter, order).path).toBe("products[0].quantity");
    expect(payloadRefusal(wayfairAdapter, [order]).path).toBe("[0].products[0].quantity");
    expect(payloadRefusal(wayfairAdapter, { data: { purchaseOrders: [order] } }).path).toBe("data.purchaseOrders[0].products[0].quantity");
  });

  it("products[].quantity MAX_UNITS is accepted and decided", () => {
    const order = JSON.parse(fixture("purchase-order-bare"));
    order.products[0].quantity = MAX_UNITS;
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS });
  });
});

describe("wayfair: ids, part numbers and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [wayfairAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "wayfair", mode: "smart", payload: JSON.stringify(payload) });
  const expectRefusedAt = (payload: unknown, path: string) =>
    payloadRefusal(wayfairAdapter, payload, { path, message: /must be well-formed text without NUL characters/ });
  const bare = () => JSON.parse(fixture("purchase-order-bare"));

  it.each(["LONE\udc80", "BENCH\u0000ENTRY"])("products[].partNumber %j, bare, in an array and in a GraphQL response", (partNumber) => {
    const order = bare();
    order.products[0].partNumber = partNumber;
    expect(JSON.stringify(order)).toMatch(/\\u(dc80|0000)/);
    expectRefusedAt(order, "products[0].partNumber");
    expectRefusedAt([order], "[0].products[0].partNumber");
    expectRefusedAt({ data: { purchaseOrders: [order] } }, "data.purchaseOrders[0].products[0].partNumber");
  });

  it.each(["CS123456790\u0000", "CS\ud800"])("poNumber %j", (poNumber) => {
    expectRefusedAt({ ...bare(), poNumber }, "poNumber");
  });

  it.each(["OUT_OF_STOCK\udc80", "OUT_OF_STOCK\u0000"])(
    "restockReason %j, as a string and as { code }, on a product and on the order",
    (code) => {
      const asString = bare();
      asString.products[0].restockReason = code;
      expectRefusedAt(asString, "products[0].restockReason");
      const asObject = bare();
      asObject.products[0].restockReason = { code };
      expectRefusedAt(asObject, "products[0].restockReason.code");
      const onOrder = bare();
      delete onOrder.products[0].restockReason;
      onOrder.restockReason = code;
      expectRefusedAt(onOrder, "restockReason");
    },
  );

  it("a partNumber with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const order = bare();
    order.products[0].partNumber = "BENCH-\u{1FA91}";
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ sku: "BENCH-\u{1FA91}", quantity: 1 });
    const escaped = JSON.stringify(order).replace("\u{1FA91}", "\\ud83e\\ude91");
    expect(escaped).toContain("\\ud83e\\ude91");
    const result = engine.evaluate({ marketplace: "wayfair", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "BENCH-\u{1FA91}" });
  });
});

describe("wayfair: decisions through the engine", () => {
  const engine = createEngine({ adapters: [wayfairAdapter] });
  const decisions = (name: string) =>
    engine.evaluate({ marketplace: "wayfair", mode: "smart", payload: fixture(name) }).cancellations[0]?.decisions;

  it("per line: OUT_OF_STOCK withholds, CUSTOMER_REQUESTED_CANCELLATION restores", () => {
    expect(decisions("purchase-orders-multi-line-mixed-reasons")?.map((d) => [d.sku, d.quantity, d.restore, d.rule])).toEqual([
      ["BED-QUEEN-WAL", 1, false, "smart.do_not_restore"],
      ["NIGHTSTAND-WAL", 2, true, "smart.restore"],
    ]);
  });

  it("ITEM_DISCONTINUED withholds; a lower-case spelling matches by normalized key", () => {
    expect(decisions("purchase-order-item-discontinued")?.[0]).toMatchObject({ restore: false, reasonLabel: "Item Discontinued" });
    expect(decisions("purchase-order-bare")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.restore",
      reasonLabel: "Customer Requested Cancellation",
    });
  });

  it("no reason restores by smart.no_reason; an unknown one by smart.unknown_reason", () => {
    expect(decisions("purchase-orders-one-line-cancelled-no-reason")?.[0]).toMatchObject({ restore: true, rule: "smart.no_reason" });
    expect(decisions("purchase-order-unknown-reason")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.unknown_reason",
      reasonCode: "SUPPLIER_REJECTED",
    });
  });
});

describe("wayfair: webhook shared secret", () => {
  it("accepts the x-restock-token header or ?token=, and nothing else", () => {
    const verify = wayfairAdapter.verifyWebhook;
    expect(wayfairAdapter.capabilities.webhookAuth).toBe("shared-secret");
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "[]" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "[]", url: "/hooks/wayfair?token=s3cret" }, "s3cret")).toBe(true);
    expect(verify({ headers: { "x-restock-token": "" }, rawBody: "[]" }, "s3cret")).toBe(false);
  });
});
