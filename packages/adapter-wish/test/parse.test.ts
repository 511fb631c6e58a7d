import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { wishAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => wishAdapter.parse(fixture(name));

function rejection(name: string): PayloadError {
  try {
    wishAdapter.parse(fixture(name));
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe("wish: v2 orders", () => {
  it("a REFUNDED order whose refund covers the total cancels its whole quantity with the refund's reason", () => {
    expect(parse("v2-refunded-item-returned-to-sender-32")).toEqual({
      cancellations: [
        {
          marketplace: "wish",
          orderId: "5d3f0a1b2c3d4e5f60718294",
          occurredAt: "2019-09-02T10:14:58.000Z",
          lines: [{ lineId: "TSHIRT-RED-M", sku: "TSHIRT-RED-M", quantity: 2, orderedQuantity: 2, reason: { code: "32" } }],
        },
      ],
      ignored: [],
    });
  });

  it("a redelivered payload parses to the same cumulative cancellation", () => {
    expect(parse("v2-refunded-item-returned-to-sender-32-redelivered")).toEqual(parse("v2-refunded-item-returned-to-sender-32"));
  });

  it("reads an integer refund_reason as its string", () => {
    const [cancellation] = parse("v2-refunded-received-wrong-item-23-integer-code").cancellations;
    expect(cancellation?.lines).toEqual([
      { lineId: "PHONE-CASE-X", sku: "PHONE-CASE-X", quantity: 3, orderedQuantity: 3, reason: { code: "23" } },
    ]);
  });

  it("refunds that add up to the total cancel the order, with the last refund's reason and time", () => {
    const [cancellation] = parse("v2-refunded-two-refunds-cover-total").cancellations;
    expect(cancellation?.occurredAt).toBe("2019-10-03T16:30:00.000Z");
    expect(cancellation?.lines).toEqual([
      { lineId: "JACKET-BLK-L", sku: "JACKET-BLK-L", quantity: 2, orderedQuantity: 2, reason: { code: "25" } },
    ]);
  });

  it("the latest refund by refund_time gives the reason and time, whatever the array's order", () => {
    // Taken by position, a newest-first array gave the older refund's reason (20, which restores).
    const [cancellation] = parse("v2-refunded-two-refunds-listed-newest-first").cancellations;
    expect(cancellation?.occurredAt).toBe("2019-10-03T16:30:00.000Z");
    expect(cancellation?.lines.map((line) => line.reason)).toEqual([{ code: "25" }]);
  });

  it("without order_total, the total is price × quantity: a refund of one unit's price is partial", () => {
    // It was taken as a whole refund on a REFUNDED order, and both units were restored.
    expect(parse("v2-refunded-half-refund-without-order-total")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "REFUNDED",
          reason: "partial_refund",
          orderId: "5d3f0a1b2c3d4e5f607182f6",
          detail: "refunds total 9.00 of the order total 18.00: money only, no units cancelled",
        },
      ],
    });
  });

  it("a refund smaller than the order total is a money-only partial refund", () => {
    expect(parse("v2-partial-refund-amount-only")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "SHIPPED",
          reason: "partial_refund",
          orderId: expect.any(String),
          detail: "refunds total 5.00 of the order total 20.00: money only, no units cancelled",
        },
      ],
    });
  });

  it("a refund on a live order whose total is unknown (no order_total, no price) is a partial refund", () => {
    const order = JSON.parse(fixture("v2-shipped-refund-without-order-total"));
    expect(order.data[0].Order.price).toBe("9.0");
    delete order.data[0].Order.price;
    expect(wishAdapter.parse(JSON.stringify(order)).ignored).toEqual([
      {
        kind: "SHIPPED",
        reason: "partial_refund",
        orderId: "5d3f0a1b2c3d4e5f607182f0",
        detail: "a refund of 3.00 on a SHIPPED order whose total is not in the payload: money only",
      },
    ]);
    // With its price, 3.00 of the 18.00 it cost.
    expect(parse("v2-shipped-refund-without-order-total").ignored[0]?.detail).toBe(
      "refunds total 3.00 of the order total 18.00: money only, no units cancelled",
    );
  });

  it("an order that is neither refunded nor cancelled is not a cancellation", () => {
    const { cancellations, ignored } = parse("v2-shipped-not-a-cancellation");
    expect(cancellations).toEqual([]);
    expect(ignored).toEqual([
      {
        kind: "SHIPPED",
        reason: "not_a_cancellation",
        orderId: expect.any(String),
        detail: "order state SHIPPED is not refunded or cancelled",
      },
    ]);
  });

  it("a page holds one result per order", () => {
    const { cancellations, ignored } = parse("v2-page-refunded-and-approved");
    expect(cancellations.map((c) => [c.lines[0]?.sku, c.lines[0]?.reason?.code])).toEqual([["SUNGLASSES-AVI", "24"]]);
    expect(ignored.map((event) => [event.kind, event.reason])).toEqual([["APPROVED", "not_a_cancellation"]]);
  });

  it("accepts a bare { Order } and a bare order", () => {
    expect(parse("v2-bare-order-wrapper-damaged-legacy-3").cancellations[0]?.lines[0]?.reason).toEqual({ code: "3" });
    expect(parse("v2-bare-order-wrong-color-named").cancellations[0]?.lines[0]).toMatchObject({
      sku: "SKIRT-BLU-M",
      quantity: 2,
      reason: { code: "WRONG_COLOR" },
    });
  });

  it("falls back to the pre-2019 order-level refunded_reason", () => {
    expect(parse("v2-refunded-legacy-refunded-reason-customer-request").cancellations[0]?.lines[0]?.reason).toEqual({ code: "2" });
  });

  it("reports -1 as sent: a row of its own (Other), though its normalized key is Unable to Ship's", () => {
    expect(parse("v2-refunded-other-minus-1").cancellations[0]?.lines[0]?.reason).toEqual({ code: "-1" });
  });
});

describe("wish: v2 single order", () => {
  // GET /api/v2/order?id= answers one order as `data: { Order }`, not in an array: it went to the v3
  // schema and was refused (data.id: expected string).
  it("reads `{ code, data: { Order } }` (retrieve an order) as the same order in a list", () => {
    expect(parse("v2-retrieve-order-refunded-item-is-damaged-25")).toEqual(parse("v2-refunded-item-is-damaged-25"));
    expect(parse("v2-retrieve-order-refunded-item-is-damaged-25").cancellations).toHaveLength(1);
  });
});

describe("wish: v3 orders", () => {
  it("a REFUNDED order without any reason field cancels with reason null", () => {
    expect(parse("v3-refunded-no-reason")).toEqual({
      cancellations: [
        {
          marketplace: "wish",
          orderId: expect.any(String),
          occurredAt: "2021-05-20T14:03:11.000Z",
          lines: [{ lineId: "MUG-BLUE-11OZ", sku: "MUG-BLUE-11OZ", quantity: 1, orderedQuantity: 1, reason: null }],
        },
      ],
      ignored: [],
    });
  });

  it("reads refunds[].reason_code with a money-object amount", () => {
    const [cancellation] = parse("v3-refunded-item-is-counterfeit").cancellations;
    expect(cancellation?.occurredAt).toBe("2021-06-02T09:30:00.000Z");
    expect(cancellation?.lines[0]?.reason).toEqual({ code: "ITEM_IS_COUNTERFEIT" });
  });

  it("reads refund_reason and cancel_reason on the order", () => {
    expect(parse("v3-refunded-product-listing-missing-info").cancellations[0]?.lines[0]?.reason).toEqual({
      code: "PRODUCT_LISTING_MISSING_INFO",
    });
    expect(parse("v3-cancelled-unable-to-ship-1").cancellations[0]?.lines[0]).toMatchObject({
      sku: "TENT-2P",
      quantity: 1,
      reason: { code: "1" },
    });
  });

  it("an APPROVED order is not a cancellation", () => {
    expect(parse("v3-approved-not-a-cancellation").ignored).toEqual([
      {
        kind: "APPROVED",
        reason: "not_a_cancellation",
        orderId: expect.any(String),
        detail: "order state APPROVED is not refunded or cancelled",
      },
    ]);
  });
});

describe("wish: malformed payloads name the field", () => {
  it.each([
    ["malformed-missing-order-id", "data[0].Order.order_id"],
    ["malformed-quantity-negative", "data[0].Order.quantity"],
    ["malformed-quantity-not-an-integer-string", "data[0].Order.quantity"],
    ["malformed-quantity-word", "data[0].Order.quantity"],
    ["malformed-quantity-zero", "data[0].Order.quantity"],
    ["malformed-quantity-fractional", "data.order_payment.general_payment_details.product_quantity"],
    ["malformed-refunds-wrong-type", "data[0].Order.refunds"],
    ["malformed-refund-amount-negative", "data[0].Order.refunds[0].refund_amount"],
    ["malformed-reason-code-fractional", "data[0].Order.refunds[0].refund_reason"],
    ["malformed-v3-missing-product-information", "data.product_information"],
    ["malformed-api-error-response", "code"],
    ["malformed-document-not-a-wish-payload", ""],
  ])("%s → %s", (name, path) => {
    expect(rejection(name).path).toBe(path);
  });
});

describe("wish: quantities above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [wishAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "wish", mode: "smart", payload: JSON.stringify(payload) });
  const v2 = () => JSON.parse(fixture("v2-refunded-accidental-order-18"));
  const v3 = () => JSON.parse(fixture("v3-refunded-no-reason"));
  const huge = [MAX_UNITS + 1, 9007199254740991, String(MAX_UNITS + 1), "9999999999"];

  it.each(huge)("v2 quantity %j, in a page and as a bare order", (units) => {
    const page = v2();
    page.data[0].Order.quantity = units;
    expect(payloadRefusal(wishAdapter, page).path).toBe("data[0].Order.quantity");
    expect(payloadRefusal(wishAdapter, page.data[0].Order).path).toBe("quantity");
  });

  it.each(huge)("v3 product_quantity %j", (units) => {
    const response = v3();
    response.data.order_payment.general_payment_details.product_quantity = units;
    expect(payloadRefusal(wishAdapter, response).path).toBe("data.order_payment.general_payment_details.product_quantity");
  });

  it.each([MAX_UNITS, String(MAX_UNITS)])("quantity %j (MAX_UNITS) is accepted and decided, v2 and v3", (units) => {
    const page = v2();
    page.data[0].Order.quantity = units;
    expect(evaluate(page).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS });
    const response = v3();
    response.data.order_payment.general_payment_details.product_quantity = units;
    expect(evaluate(response).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS });
  });
});

describe("wish: order ids, SKUs and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [wishAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "wish", mode: "smart", payload: JSON.stringify(payload) });
  const expectRefusedAt = (payload: unknown, path: string) =>
    payloadRefusal(wishAdapter, payload, { path, message: /must be well-formed text without NUL characters/ });
  const v2 = () => JSON.parse(fixture("v2-refunded-accidental-order-18"));
  const v3 = () => JSON.parse(fixture("v3-refunded-no-reason"));

  it.each(["LONE\udc80", "KEYCHAIN\u0000CAT"])("sku %j, v2 in a page, v2 bare and v3", (sku) => {
    const page = v2();
    page.data[0].Order.sku = sku;
    expect(JSON.stringify(page)).toMatch(/\\u(dc80|0000)/);
    expectRefusedAt(page, "data[0].Order.sku");
    expectRefusedAt(page.data[0].Order, "sku");
    const response = v3();
    response.data.product_information.sku = sku;
    expectRefusedAt(response, "data.product_information.sku");
  });

  it.each(["5d3f0a1b2c3d4e5f607182bc\u0000", "\ud8005d3f"])("order id %j, v2 order_id and v3 id", (id) => {
    const page = v2();
    page.data[0].Order.order_id = id;
    expectRefusedAt(page, "data[0].Order.order_id");
    const response = v3();
    response.data.id = id;
    expectRefusedAt(response, "data.id");
  });

  it.each(["18\udc80", "18\u0000"])("reason code %j, v2 refund_reason and refunded_reason, v3 refund_reason and cancel_reason", (code) => {
    const refund = v2();
    refund.data[0].Order.refunds[0].refund_reason = code;
    expectRefusedAt(refund, "data[0].Order.refunds[0].refund_reason");
    const legacy = v2();
    legacy.data[0].Order.refunded_reason = code;
    expectRefusedAt(legacy, "data[0].Order.refunded_reason");
    expectRefusedAt({ data: { ...v3().data, refund_reason: code } }, "data.refund_reason");
    expectRefusedAt({ data: { ...v3().data, cancel_reason: code } }, "data.cancel_reason");
  });

  it("a SKU with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const page = v2();
    page.data[0].Order.sku = "KEYCHAIN-\u{1F408}";
    expect(evaluate(page).cancellations[0]?.decisions[0]).toMatchObject({ sku: "KEYCHAIN-\u{1F408}", quantity: 2 });
    const escaped = JSON.stringify(page).replace("\u{1F408}", "\\ud83d\\udc08");
    expect(escaped).toContain("\\ud83d\\udc08");
    const result = engine.evaluate({ marketplace: "wish", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "KEYCHAIN-\u{1F408}" });
  });
});

describe("wish: decisions through the engine", () => {
  const engine = createEngine({ adapters: [wishAdapter] });
  const decisions = (name: string) =>
    engine.evaluate({ marketplace: "wish", mode: "smart", payload: fixture(name) }).cancellations[0]?.decisions;

  it("25 (Item is Damaged) withholds", () => {
    expect(decisions("v2-refunded-item-is-damaged-25")).toEqual([
      expect.objectContaining({
        sku: "VASE-GLASS-20CM",
        quantity: 1,
        restore: false,
        rule: "smart.do_not_restore",
        reasonCode: "25",
        reasonLabel: "Item is Damaged",
        reasonOrigin: "spec",
      }),
    ]);
  });

  it("the named code MERCHANT_OUT_OF_STOCK and legacy 0 both withhold", () => {
    expect(decisions("v2-refunded-merchant-out-of-stock-legacy-0")?.[0]).toMatchObject({
      restore: false,
      reasonLabel: "Merchant Out of Stock",
    });
  });

  it("32 (Item Returned to Sender) restores", () => {
    expect(decisions("v2-refunded-item-returned-to-sender-32")?.[0]).toMatchObject({ restore: true, rule: "smart.restore", quantity: 2 });
  });

  it("1 (Unable to Ship) is ambiguous and restores; -1 is Other, extended", () => {
    expect(decisions("v3-cancelled-unable-to-ship-1")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.ambiguous",
      reasonLabel: "Unable to Ship",
    });
    expect(decisions("v2-refunded-other-minus-1")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.ambiguous",
      reasonCode: "-1",
      reasonLabel: "Other",
      reasonOrigin: "extended",
    });
    expect(decisions("v2-refunded-other-minus-1")?.[0]?.reasonDerived).toBeFalsy();
  });

  it("18 (accidental order) is an extended restore; an unlisted code restores as unknown", () => {
    expect(decisions("v2-refunded-accidental-order-18")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.restore",
      reasonOrigin: "extended",
    });
    expect(decisions("v2-refunded-unknown-code-77")?.[0]).toMatchObject({ restore: true, rule: "smart.unknown_reason", reasonCode: "77" });
  });

  it("no reason restores by smart.no_reason; never mode withholds", () => {
    expect(decisions("v3-refunded-no-reason")?.[0]).toMatchObject({ restore: true, rule: "smart.no_reason" });
    const never = engine.evaluate({ marketplace: "wish", mode: "never", payload: fixture("v2-refunded-item-returned-to-sender-32") });
    expect(never.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, rule: "never" });
  });
});

describe("wish: webhook shared secret", () => {
  it("accepts the x-restock-token header or ?token=, and nothing else", () => {
    const verify = wishAdapter.verifyWebhook;
    expect(wishAdapter.capabilities.webhookAuth).toBe("shared-secret");
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "{}" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/wish?token=s3cret" }, "s3cret")).toBe(true);
    expect(verify({ headers: { "x-restock-token": "wrong" }, rawBody: "{}" }, "s3cret")).toBe(false);
    expect(verify({ headers: {}, rawBody: "{}" }, "s3cret")).toBe(false);
  });
});
