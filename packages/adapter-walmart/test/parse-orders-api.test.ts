import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { walmartAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => walmartAdapter.parse(fixture(name));

function rejection(body: unknown): PayloadError {
  try {
    walmartAdapter.parse(body);
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error("the payload was accepted");
}

describe("Walmart Orders API order", () => {
  it("gives each line its own reason and quantity, leaving acknowledged units out", () => {
    expect(parse("orders-api-multi-line-different-reasons")).toEqual({
      cancellations: [
        {
          marketplace: "walmart",
          orderId: "1796277083022",
          occurredAt: null,
          lines: [
            { lineId: "1", sku: "MUG-BLUE-12OZ", quantity: 2, orderedQuantity: 2, reason: { code: "SELLER_CANCEL_OUT_OF_STOCK" } },
            { lineId: "2", sku: "COASTER-SET-4", quantity: 1, orderedQuantity: 3, reason: { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" } },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("reports only the cancelled units of a partly shipped line", () => {
    const [cancellation] = parse("orders-api-partial-cancellation-rest-shipped").cancellations;
    expect(cancellation?.lines).toEqual([
      { lineId: "1", sku: "LAMP-DESK-BRASS", quantity: 1, orderedQuantity: 3, reason: { code: "SELLER_CANCEL_OUT_OF_STOCK" } },
    ]);
  });

  it("adds up every Cancelled slice of a line into the cumulative quantity", () => {
    const [cancellation] = parse("orders-api-partial-cancellation-second-slice").cancellations;
    expect(cancellation?.lines).toEqual([
      { lineId: "1", sku: "LAMP-DESK-BRASS", quantity: 3, orderedQuantity: 4, reason: { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" } },
    ]);
  });

  it("keeps a line cancelled under two reasons as one line with each reason's units, for the engine to decide per part", () => {
    const [cancellation] = parse("orders-api-line-cancelled-under-two-reasons").cancellations;
    expect(cancellation?.lines).toEqual([
      {
        lineId: "1",
        sku: "MUG-BLUE-12OZ",
        quantity: 4,
        orderedQuantity: 4,
        reason: { code: "SELLER_CANCEL_OUT_OF_STOCK" },
        reasonParts: [
          { reason: { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" }, quantity: 1 },
          { reason: { code: "SELLER_CANCEL_OUT_OF_STOCK" }, quantity: 3 },
        ],
      },
    ]);
    expect(cancellation?.note).toBe(
      "line 1 cancelled under several reasons (CUSTOMER_REQUESTED_SELLER_TO_CANCEL x1, SELLER_CANCEL_OUT_OF_STOCK x3): decided per reason",
    );
  });

  it("keeps a missing or null cancellationReason as no reason", () => {
    const [cancellation] = parse("orders-api-cancelled-missing-reason").cancellations;
    expect(cancellation?.lines.map((line) => [line.lineId, line.quantity, line.reason])).toEqual([
      ["1", 1, null],
      ["2", 2, null],
    ]);
  });

  it("passes an unlisted code through for the engine to report as unknown", () => {
    const [cancellation] = parse("orders-api-cancelled-unknown-reason").cancellations;
    expect(cancellation?.lines[0]?.reason).toEqual({ code: "WALMART_CANCEL_CARRIER_EMBARGO" });
  });

  it("ignores an order with no Cancelled status", () => {
    expect(parse("orders-api-not-cancelled")).toEqual({
      cancellations: [],
      ignored: [{ kind: "order", reason: "not_a_cancellation", orderId: "1796277083306", detail: "no order line has a Cancelled status" }],
    });
  });

  it("reads every order of an order list", () => {
    const result = parse("orders-api-list-one-cancelled-one-open");
    expect(result.cancellations.map((c) => [c.orderId, c.lines.map((line) => [line.lineId, line.quantity, line.reason?.code])])).toEqual([
      ["1796277083401", [["1", 2, "SELLER_CANCEL_PRICING_ERROR"]]],
    ]);
    expect(result.ignored).toEqual([
      { kind: "order", reason: "not_a_cancellation", orderId: "1796277083402", detail: "no order line has a Cancelled status" },
    ]);
  });

  it("gives a redelivered order the same cumulative result", () => {
    expect(parse("orders-api-cancelled-out-of-stock-redelivered")).toEqual(parse("orders-api-cancelled-out-of-stock"));
  });

  it("never reports more cancelled units than were ordered", () => {
    const order = JSON.parse(fixture("orders-api-partial-cancellation-second-slice"));
    order.order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[1] = {
      status: "Cancelled",
      statusQuantity: { unitOfMeasurement: "EACH", amount: "9" },
      cancellationReason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL",
    };
    expect(walmartAdapter.parse(order).cancellations[0]?.lines[0]).toMatchObject({ quantity: 4, orderedQuantity: 4 });
  });
});

describe("Walmart quantity strings", () => {
  const statusAmount = "order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[0].statusQuantity.amount";

  it.each([
    ["malformed-orders-api-quantity-negative", statusAmount],
    ["malformed-orders-api-quantity-fractional", statusAmount],
    ["malformed-orders-api-quantity-non-numeric", statusAmount],
    ["malformed-orders-api-quantity-number-not-string", statusAmount],
    ["malformed-orders-api-ordered-quantity-zero", "order.orderLines.orderLine[0].orderLineQuantity.amount"],
    ["malformed-order-updates-quantity-fractional", "payload.order.orderLines[0].quantity.measurementValue"],
    ["malformed-legacy-quantity-negative", "payload.orderLines[0].quantity.measurementValue"],
    ["malformed-legacy-quantity-non-numeric", "payload.orderLines[0].quantity.measurementValue"],
  ])("%s is rejected at %s", (name, path) => {
    expect(rejection(fixture(name)).path).toBe(path);
  });

  it("names the missing order id, the duplicated line and the unknown shape", () => {
    expect(rejection(fixture("malformed-orders-api-missing-purchase-order-id")).path).toBe("order.purchaseOrderId");
    expect(rejection(fixture("malformed-order-updates-missing-purchase-order-id")).path).toBe("payload.order.purchaseOrderId");
    expect(rejection(fixture("malformed-orders-api-duplicate-line-number")).path).toBe("order.orderLines.orderLine[1].lineNumber");
    expect(rejection(fixture("malformed-order-updates-missing-sub-event-type")).path).toBe("payload.subEventType");
    expect(rejection(fixture("malformed-document-not-a-walmart-payload")).message).toMatch(/not a Walmart payload/);
  });
});

describe("Walmart unit counts above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [walmartAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "walmart", mode: "smart", payload: JSON.stringify(payload) });
  const ordersApiOrder = () => JSON.parse(fixture("orders-api-cancelled-out-of-stock"));
  const orderUpdates = () => JSON.parse(fixture("order-updates-fraud-cancel"));
  const legacy = () => JSON.parse(fixture("legacy-po-line-autocancelled"));
  const huge = [String(MAX_UNITS + 1), "9999999999", "9007199254740991"];

  it.each(huge)("Orders API orderLineQuantity.amount and statusQuantity.amount %s", (units) => {
    const ordered = ordersApiOrder();
    ordered.order.orderLines.orderLine[0].orderLineQuantity.amount = units;
    expect(payloadRefusal(walmartAdapter, ordered).path).toBe("order.orderLines.orderLine[0].orderLineQuantity.amount");
    const cancelled = ordersApiOrder();
    cancelled.order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[0].statusQuantity.amount = units;
    expect(payloadRefusal(walmartAdapter, cancelled).path).toBe(
      "order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[0].statusQuantity.amount",
    );
  });

  it.each(huge)("webhook quantity.measurementValue %s, ORDER_UPDATES and legacy", (units) => {
    const event = orderUpdates();
    event.payload.order.orderLines[0].quantity.measurementValue = units;
    expect(payloadRefusal(walmartAdapter, event).path).toBe("payload.order.orderLines[0].quantity.measurementValue");
    const legacyEvent = legacy();
    legacyEvent.payload.orderLines[0].quantity.measurementValue = units;
    expect(payloadRefusal(walmartAdapter, legacyEvent).path).toBe("payload.orderLines[0].quantity.measurementValue");
  });

  it("a webhook line whose cancelled slices add up past MAX_UNITS is refused at the slice that passes it", () => {
    const event = orderUpdates();
    const [line] = event.payload.order.orderLines;
    line.quantity.measurementValue = String(MAX_UNITS / 2 + 1);
    event.payload.order.orderLines = [line, structuredClone(line)];
    expect(payloadRefusal(walmartAdapter, event).path).toBe("payload.order.orderLines[1].quantity.measurementValue");
    for (const slice of event.payload.order.orderLines) slice.quantity.measurementValue = String(MAX_UNITS / 2);
    expect(evaluate(event).cancellations[0]?.decisions.map((decision) => decision.quantity)).toEqual([MAX_UNITS]);
  });

  it("MAX_UNITS as the ordered, cancelled and webhook quantity is accepted and decided", () => {
    const order = ordersApiOrder();
    const [line] = order.order.orderLines.orderLine;
    line.orderLineQuantity.amount = String(MAX_UNITS);
    line.orderLineStatuses.orderLineStatus[0].statusQuantity.amount = String(MAX_UNITS);
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS, restore: false });
    const event = orderUpdates();
    event.payload.order.orderLines[0].quantity.measurementValue = String(MAX_UNITS);
    expect(evaluate(event).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS });
  });
});

describe("Walmart ids, SKUs and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [walmartAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "walmart", mode: "smart", payload: JSON.stringify(payload) });
  const expectRefusedAt = (payload: unknown, path: string) =>
    payloadRefusal(walmartAdapter, payload, { path, message: /must be well-formed text without NUL characters/ });
  const ordersApiOrder = () => JSON.parse(fixture("orders-api-cancelled-out-of-stock"));
  const orderUpdates = () => JSON.parse(fixture("order-updates-fraud-cancel"));
  const legacy = () => JSON.parse(fixture("legacy-po-line-autocancelled"));
  const orderLine = "order.orderLines.orderLine[0]";

  it.each(["LONE\udc80", "MUG\u0000BLUE"])("sku %j: Orders API (one order and a list), ORDER_UPDATES and legacy webhooks", (sku) => {
    const order = ordersApiOrder();
    order.order.orderLines.orderLine[0].item.sku = sku;
    expect(JSON.stringify(order)).toMatch(/\\u(dc80|0000)/);
    expectRefusedAt(order, `${orderLine}.item.sku`);
    expectRefusedAt({ list: { elements: { order: [order.order] } } }, "list.elements.order[0].orderLines.orderLine[0].item.sku");
    const event = orderUpdates();
    event.payload.order.orderLines[0].sku = sku;
    expectRefusedAt(event, "payload.order.orderLines[0].sku");
    const legacyEvent = legacy();
    legacyEvent.payload.orderLines[0].sku = sku;
    expectRefusedAt(legacyEvent, "payload.orderLines[0].sku");
  });

  it.each(["1796277083105\u0000", "\udc801796277083105"])("purchaseOrderId and lineNumber %j", (id) => {
    const order = ordersApiOrder();
    order.order.purchaseOrderId = id;
    expectRefusedAt(order, "order.purchaseOrderId");
    const line = ordersApiOrder();
    line.order.orderLines.orderLine[0].lineNumber = id;
    expectRefusedAt(line, `${orderLine}.lineNumber`);
    const event = orderUpdates();
    event.payload.order.purchaseOrderId = id;
    expectRefusedAt(event, "payload.order.purchaseOrderId");
    const eventLine = orderUpdates();
    eventLine.payload.order.orderLines[0].lineNumber = id;
    expectRefusedAt(eventLine, "payload.order.orderLines[0].lineNumber");
  });

  it.each(["4c3b2a19\u0000", "4c3b2a19\ud800"])("a webhook's source.eventId %j (the cancellation id)", (eventId) => {
    const event = orderUpdates();
    event.source.eventId = eventId;
    expectRefusedAt(event, "source.eventId");
  });

  it.each(["SELLER_CANCEL_OUT_OF_STOCK\udc80", "SELLER_CANCEL\u0000"])("cancellationReason %j, Orders API and webhook", (code) => {
    const order = ordersApiOrder();
    order.order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[0].cancellationReason = code;
    expectRefusedAt(order, `${orderLine}.orderLineStatuses.orderLineStatus[0].cancellationReason`);
    const event = orderUpdates();
    event.payload.order.orderLines[0].cancellationReason = code;
    expectRefusedAt(event, "payload.order.orderLines[0].cancellationReason");
  });

  it("a SKU with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const order = ordersApiOrder();
    order.order.orderLines.orderLine[0].item.sku = "MUG-\u2615-\u{1F535}";
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ sku: "MUG-\u2615-\u{1F535}", quantity: 2 });
    const escaped = JSON.stringify(order).replace("\u{1F535}", "\\ud83d\\udd35");
    expect(escaped).toContain("\\ud83d\\udd35");
    const result = engine.evaluate({ marketplace: "walmart", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "MUG-\u2615-\u{1F535}" });
  });
});
