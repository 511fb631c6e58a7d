import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { neweggAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => neweggAdapter.parse(fixture(name));

function rejection(name: string): PayloadError {
  try {
    neweggAdapter.parse(fixture(name));
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe("newegg: Get Order Information", () => {
  it("an auto-voided order cancels its unshipped units as AUTO_VOID (derived)", () => {
    expect(parse("order-info-voided-auto-void")).toEqual({
      cancellations: [
        {
          marketplace: "newegg",
          orderId: "41473642",
          occurredAt: null,
          lines: [
            { lineId: "A00655467241", sku: "A00655467241", quantity: 1, orderedQuantity: 1, reason: { code: "AUTO_VOID", derived: true } },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("a redelivered response gives the same cumulative cancellation", () => {
    expect(parse("order-info-voided-auto-void-redelivered")).toEqual(parse("order-info-voided-auto-void"));
  });

  it("a voided order that was not auto-voided cancels every item with no reason", () => {
    const [cancellation] = parse("order-info-voided-no-reason-multi-item").cancellations;
    expect(cancellation?.orderId).toBe("41473650");
    expect(cancellation?.lines).toEqual([
      { lineId: "A006SSD-1TB", sku: "A006SSD-1TB", quantity: 2, orderedQuantity: 2, reason: null },
      { lineId: "A006RAM-16G", sku: "A006RAM-16G", quantity: 1, orderedQuantity: 1, reason: null },
    ]);
  });

  it("in a live order only Status 3 items are cancelled, and only their unshipped units", () => {
    expect(parse("order-info-partially-shipped-item-cancelled").cancellations).toEqual([
      {
        marketplace: "newegg",
        orderId: "41473661",
        occurredAt: null,
        lines: [{ lineId: "A006MOUSE-W", sku: "A006MOUSE-W", quantity: 2, orderedQuantity: 3, reason: null }],
      },
    ]);
  });

  it("an order that cancels nothing is ignored", () => {
    expect(parse("order-info-shipped-not-a-cancellation")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "GetOrderInfo",
          reason: "not_a_cancellation",
          orderId: "41473672",
          detail: "OrderStatus 2 (Shipped): no cancelled item with unshipped units",
        },
      ],
    });
  });

  it("a page gives one result per order; a single OrderInfo object and numeric fields are accepted", () => {
    const page = parse("order-info-page-voided-and-unshipped");
    expect(page.cancellations.map((c) => [c.orderId, c.lines.map((l) => [l.sku, l.quantity, l.reason?.code])])).toEqual([
      ["41473683", [["A006FAN-120", 4, "AUTO_VOID"]]],
    ]);
    expect(page.ignored.map((event) => [event.orderId, event.reason])).toEqual([["41473684", "not_a_cancellation"]]);
    expect(parse("order-info-single-order-object-voided").cancellations[0]?.lines.map((l) => l.sku)).toEqual(["A006GPU-4070"]);
    expect(parse("order-info-numeric-fields-item-cancelled").cancellations).toEqual([
      {
        marketplace: "newegg",
        orderId: "41473706",
        occurredAt: null,
        lines: [{ lineId: "A006KB-MECH", sku: "A006KB-MECH", quantity: 2, orderedQuantity: 2, reason: null }],
      },
    ]);
  });
});

describe("newegg: cancel request envelope", () => {
  it("cancels every item's unshipped units with the request's Value", () => {
    expect(parse("cancel-request-customer-requested-72-multi-item")).toEqual({
      cancellations: [
        {
          marketplace: "newegg",
          orderId: "51500001",
          occurredAt: null,
          lines: [
            { lineId: "A006MON-27", sku: "A006MON-27", quantity: 1, orderedQuantity: 1, reason: { code: "72" } },
            { lineId: "A006ARM-DUAL", sku: "A006ARM-DUAL", quantity: 2, orderedQuantity: 2, reason: { code: "72" } },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("leaves shipped units and fully shipped items out", () => {
    expect(parse("cancel-request-unable-to-fulfill-74-partly-shipped").cancellations[0]?.lines).toEqual([
      { lineId: "A006NAS-4B", sku: "A006NAS-4B", quantity: 2, orderedQuantity: 3, reason: { code: "74" } },
    ]);
  });

  it("a request without Value has no reason; an unknown Value is kept", () => {
    expect(parse("cancel-request-without-value").cancellations[0]?.lines[0]?.reason).toBeNull();
    expect(parse("cancel-request-unknown-code-99").cancellations[0]?.lines[0]?.reason).toEqual({ code: "99" });
  });

  it("Action 2 (ship) and a fully shipped order are not cancellations", () => {
    expect(parse("cancel-request-ship-action-not-a-cancellation").ignored).toEqual([
      {
        kind: "UpdateOrderStatus",
        reason: "not_a_cancellation",
        orderId: "51500007",
        detail: "Action 2 is not a cancellation (Action 1 cancels)",
      },
    ]);
    expect(parse("cancel-request-all-shipped-not-a-cancellation").ignored).toEqual([
      {
        kind: "UpdateOrderStatus",
        reason: "not_a_cancellation",
        orderId: "51500008",
        detail: "every unit had shipped: nothing left to cancel",
      },
    ]);
  });
});

describe("newegg: KillItemRequest", () => {
  it("with the host's order number and quantities, removes the whole line with no reason", () => {
    expect(parse("kill-item-with-host-order-number-and-quantities").cancellations).toEqual([
      {
        marketplace: "newegg",
        orderId: "51500010",
        occurredAt: null,
        lines: [{ lineId: "AWHZ3434", sku: "AWHZ3434", quantity: 2, orderedQuantity: 2, reason: null }],
      },
    ]);
  });
});

describe("newegg: KillItemRequest of shipped units", () => {
  it("removing an item whose units all shipped cancels nothing", () => {
    expect(parse("kill-item-already-shipped-not-a-cancellation")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "KillItemRequest",
          reason: "not_a_cancellation",
          orderId: "51500015",
          detail: "every removed item had shipped: nothing left to cancel",
        },
      ],
    });
  });
});

describe("newegg: malformed payloads name the field", () => {
  it.each([
    ["malformed-cancel-request-without-envelope", "OrderNumber"],
    ["malformed-kill-item-without-order-number", "RequestBody.KillItem.Order.OrderNumber"],
    ["malformed-kill-item-without-quantity", "RequestBody.KillItem.Order.ItemList.Item[0].OrderedQty"],
    ["malformed-missing-order-number", "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].OrderNumber"],
    ["malformed-ordered-qty-negative", "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0].OrderedQty"],
    ["malformed-ordered-qty-fractional", "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0].OrderedQty"],
    ["malformed-ordered-qty-word", "ItemInfoList.ItemInfo[0].OrderedQty"],
    [
      "malformed-shipped-qty-above-ordered",
      "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0].ShippedQty",
    ],
    ["malformed-item-info-wrong-type", "ItemInfoList.ItemInfo"],
    ["malformed-duplicate-seller-part-number", "ItemInfoList.ItemInfo[1].SellerPartNumber"],
    ["malformed-response-not-successful", "NeweggAPIResponse.IsSuccess"],
    ["malformed-auto-void-flag-word", "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].IsAutoVoid"],
  ])("%s → %s", (name, path) => {
    expect(rejection(name).path).toBe(path);
  });

  it("says what the host must add to a KillItemRequest", () => {
    expect(rejection("malformed-kill-item-without-order-number").message).toContain("the host adds the order number");
  });
});

describe("newegg: unit counts above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [neweggAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "newegg", mode: "smart", payload: JSON.stringify(payload) });
  const orderItem = "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0]";
  const voidedOrder = () => JSON.parse(fixture("order-info-voided-no-reason-multi-item"));
  const huge = [MAX_UNITS + 1, 9007199254740991, String(MAX_UNITS + 1), "9999999999"];

  it.each(huge)("OrderedQty %j in Get Order Information", (units) => {
    const order = voidedOrder();
    order.NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0].OrderedQty = units;
    expect(payloadRefusal(neweggAdapter, order).path).toBe(`${orderItem}.OrderedQty`);
  });

  it.each(huge)("ShippedQty %j in Get Order Information", (units) => {
    const order = voidedOrder();
    Object.assign(order.NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0], {
      OrderedQty: MAX_UNITS,
      ShippedQty: units,
    });
    expect(payloadRefusal(neweggAdapter, order).path).toBe(`${orderItem}.ShippedQty`);
  });

  it.each(huge)("OrderedQty %j in a cancel request envelope and a KillItemRequest", (units) => {
    const envelope = JSON.parse(fixture("cancel-request-out-of-stock-24"));
    envelope.ItemInfoList.ItemInfo.OrderedQty = units;
    expect(payloadRefusal(neweggAdapter, envelope).path).toBe("ItemInfoList.ItemInfo[0].OrderedQty");
    const killItem = JSON.parse(fixture("kill-item-with-host-order-number-and-quantities"));
    killItem.RequestBody.KillItem.Order.ItemList.Item[0].OrderedQty = units;
    expect(payloadRefusal(neweggAdapter, killItem).path).toBe("RequestBody.KillItem.Order.ItemList.Item[0].OrderedQty");
  });

  it.each([MAX_UNITS, String(MAX_UNITS)])("OrderedQty %j (MAX_UNITS) is accepted and decided", (units) => {
    const envelope = JSON.parse(fixture("cancel-request-out-of-stock-24"));
    envelope.ItemInfoList.ItemInfo.OrderedQty = units;
    expect(evaluate(envelope).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS, restore: false });
  });
});

describe("newegg: order numbers, part numbers and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [neweggAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "newegg", mode: "smart", payload: JSON.stringify(payload) });
  const expectRefusedAt = (payload: unknown, path: string) =>
    payloadRefusal(neweggAdapter, payload, { path, message: /must be well-formed text without NUL characters/ });
  const order = "NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0]";
  const voidedOrder = () => JSON.parse(fixture("order-info-voided-no-reason-multi-item"));
  const cancelRequest = () => JSON.parse(fixture("cancel-request-out-of-stock-24"));
  const killItem = () => JSON.parse(fixture("kill-item-with-host-order-number-and-quantities"));

  it.each(["LONE\udc80", "A006SSD\u00001TB"])(
    "SellerPartNumber %j in Get Order Information, a cancel request and a KillItemRequest",
    (sku) => {
      const info = voidedOrder();
      info.NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].ItemInfoList.ItemInfo[0].SellerPartNumber = sku;
      expect(JSON.stringify(info)).toMatch(/\\u(dc80|0000)/);
      expectRefusedAt(info, `${order}.ItemInfoList.ItemInfo[0].SellerPartNumber`);
      const envelope = cancelRequest();
      envelope.ItemInfoList.ItemInfo.SellerPartNumber = sku;
      expectRefusedAt(envelope, "ItemInfoList.ItemInfo[0].SellerPartNumber");
      const request = killItem();
      request.RequestBody.KillItem.Order.ItemList.Item[0].SellerPartNumber = sku;
      expectRefusedAt(request, "RequestBody.KillItem.Order.ItemList.Item[0].SellerPartNumber");
    },
  );

  it.each(["41473650\u0000", "\ud800"])(
    "OrderNumber %j in Get Order Information, a cancel request and a KillItemRequest",
    (orderNumber) => {
      const info = voidedOrder();
      info.NeweggAPIResponse.ResponseBody.OrderInfoList.OrderInfo[0].OrderNumber = orderNumber;
      expectRefusedAt(info, `${order}.OrderNumber`);
      expectRefusedAt({ ...cancelRequest(), OrderNumber: orderNumber }, "OrderNumber");
      const request = killItem();
      request.RequestBody.KillItem.Order.OrderNumber = orderNumber;
      expectRefusedAt(request, "RequestBody.KillItem.Order.OrderNumber");
    },
  );

  it.each(["24\udc80", "24\u0000"])("a cancel request's reason code Value %j", (code) => {
    const envelope = cancelRequest();
    envelope.UpdateOrderStatus.Value = code;
    expectRefusedAt(envelope, "UpdateOrderStatus.Value");
  });

  it("a SellerPartNumber with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const envelope = cancelRequest();
    envelope.ItemInfoList.ItemInfo.SellerPartNumber = "CPU-\u{1F5A5}";
    expect(evaluate(envelope).cancellations[0]?.decisions[0]).toMatchObject({ sku: "CPU-\u{1F5A5}", quantity: 2 });
    const escaped = JSON.stringify(envelope).replace("\u{1F5A5}", "\\ud83d\\udda5");
    expect(escaped).toContain("\\ud83d\\udda5");
    const result = engine.evaluate({ marketplace: "newegg", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "CPU-\u{1F5A5}" });
  });
});

describe("newegg: decisions through the engine", () => {
  const engine = createEngine({ adapters: [neweggAdapter] });
  const decisions = (name: string) =>
    engine.evaluate({ marketplace: "newegg", mode: "smart", payload: fixture(name) }).cancellations[0]?.decisions;

  it("73 (Price Error) restores", () => {
    expect(decisions("cancel-request-price-error-73")).toEqual([
      expect.objectContaining({
        sku: "A006PSU-850",
        quantity: 1,
        restore: true,
        rule: "smart.restore",
        reasonCode: "73",
        reasonLabel: "Price Error",
        reasonOrigin: "spec",
      }),
    ]);
  });

  it("24 (Out of Stock) withholds", () => {
    expect(decisions("cancel-request-out-of-stock-24")?.[0]).toMatchObject({ quantity: 2, restore: false, rule: "smart.do_not_restore" });
  });

  it("74 and an auto-void are ambiguous and restore; the auto-void is extended and derived", () => {
    expect(decisions("cancel-request-unable-to-fulfill-74-partly-shipped")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.ambiguous",
      reasonOrigin: "spec",
    });
    expect(decisions("order-info-voided-auto-void")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.ambiguous",
      reasonCode: "AUTO_VOID",
      reasonOrigin: "extended",
      reasonDerived: true,
    });
  });

  it("a void without a code restores by smart.no_reason; an unknown code by smart.unknown_reason", () => {
    expect(decisions("order-info-voided-no-reason-multi-item")?.map((d) => d.rule)).toEqual(["smart.no_reason", "smart.no_reason"]);
    expect(decisions("cancel-request-unknown-code-99")?.[0]).toMatchObject({
      restore: true,
      rule: "smart.unknown_reason",
      reasonCode: "99",
    });
  });
});

describe("newegg: webhook shared secret", () => {
  it("accepts the x-restock-token header or ?token=, and nothing else", () => {
    const verify = neweggAdapter.verifyWebhook;
    expect(neweggAdapter.capabilities.webhookAuth).toBe("shared-secret");
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "{}" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/newegg?token=s3cret" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/newegg?token=guess" }, "s3cret")).toBe(false);
  });
});
