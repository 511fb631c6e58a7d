import { readFileSync } from "node:fs";
import { createEngine, isPayloadError, type PayloadError, type RestorationMode } from "@restock/core";
import { describe, expect, it } from "vitest";
import { ebayAdapter } from "../src/index.js";

const fixture = (file: string) => readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8");
const parse = (file: string) => ebayAdapter.parse(fixture(file));
const engine = createEngine({ adapters: [ebayAdapter] });
const decisions = (file: string, mode: RestorationMode = "smart") =>
  engine.evaluate({ marketplace: "ebay", mode, payload: fixture(file) }).cancellations.flatMap((c) => c.decisions);

function rejection(raw: unknown): PayloadError {
  try {
    ebayAdapter.parse(raw);
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error("the payload was accepted");
}

const MUG = { lineId: "10077856711111", sku: "MUG-BLUE-12OZ" };
const COASTER = { lineId: "10077856722222", sku: "COASTER-SET-4" };

describe("Sell Fulfillment order", () => {
  it("cancels every line at its full quantity with the completed request's reason", () => {
    expect(parse("fulfillment-order-canceled-buyer-asked-cancel.json")).toEqual({
      cancellations: [
        {
          marketplace: "ebay",
          orderId: "14-11223-44556",
          cancellationId: "5360375787",
          occurredAt: "2025-03-04T18:40:20.000Z",
          lines: [
            { ...MUG, quantity: 2, orderedQuantity: 2, reason: { code: "BUYER_ASKED_CANCEL" } },
            { ...COASTER, quantity: 1, orderedQuantity: 1, reason: { code: "BUYER_ASKED_CANCEL" } },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("reports the same cumulative quantities when the order is read twice", () => {
    expect(parse("fulfillment-order-canceled-buyer-asked-cancel-redelivered.json")).toEqual(
      parse("fulfillment-order-canceled-buyer-asked-cancel.json"),
    );
  });

  it("passes free-text reasons through and has no reason when no request is on record", () => {
    expect(parse("fulfillment-order-canceled-free-text-reason.json").cancellations[0]?.lines[0]?.reason).toEqual({
      code: "order placed by mistake",
    });
    const [bare] = parse("fulfillment-order-canceled-without-cancel-requests.json").cancellations;
    expect(bare?.cancellationId).toBeUndefined();
    expect(bare?.occurredAt).toBeNull();
    expect(bare?.lines.map((line) => [line.sku, line.quantity, line.reason])).toEqual([
      ["MUG-BLUE-12OZ", 2, null],
      ["COASTER-SET-4", 1, null],
    ]);
  });

  it("leaves a FULFILLED (shipped) line out", () => {
    expect(parse("fulfillment-order-canceled-one-line-shipped.json").cancellations[0]?.lines).toEqual([
      { ...COASTER, quantity: 1, orderedQuantity: 1, reason: { code: "OUT_OF_STOCK_OR_CANNOT_FULFILL" } },
    ]);
  });

  it("leaves an IN_PROGRESS line out too: eBay says it is packaged and assigned to a shipping fulfillment", () => {
    expect(parse("fulfillment-order-canceled-one-line-packed.json").cancellations[0]?.lines.map((line) => line.sku)).toEqual([
      "COASTER-SET-4",
    ]);
  });

  it("ignores requested, in-progress, rejected and untouched orders", () => {
    const ignored = (file: string) => parse(file).ignored.map((event) => [event.kind, event.reason, event.orderId]);
    expect(ignored("fulfillment-order-cancel-requested.json")).toEqual([["REQUESTED", "cancel_requested", "15-11234-55672"]]);
    expect(ignored("fulfillment-order-cancel-in-progress.json")).toEqual([["IN_PROGRESS", "cancel_pending", "15-11234-55673"]]);
    expect(ignored("fulfillment-order-cancel-rejected.json")).toEqual([["REJECTED", "cancel_rejected", "15-11234-55674"]]);
    expect(ignored("fulfillment-order-not-cancelled.json")).toEqual([["NONE_REQUESTED", "not_a_cancellation", "15-11234-55675"]]);
    expect(parse("fulfillment-order-cancel-requested.json").cancellations).toEqual([]);
  });

  it("reads each order of a getOrders response", () => {
    const result = parse("fulfillment-get-orders-out-of-stock-and-open.json");
    expect(result.cancellations.map((c) => [c.orderId, c.lines.map((line) => line.reason?.code)])).toEqual([
      ["15-11234-55676", ["OUT_OF_STOCK_OR_CANNOT_FULFILL", "OUT_OF_STOCK_OR_CANNOT_FULFILL"]],
    ]);
    expect(result.ignored.map((event) => [event.orderId, event.reason])).toEqual([["15-11234-55677", "not_a_cancellation"]]);
  });

  it("rejects a getOrders response that lists one order twice, naming the second", () => {
    const error = rejection(fixture("malformed-fulfillment-get-orders-same-order-twice.json"));
    expect(error.path).toBe("orders[1].orderId");
    expect(error.message).toContain('orderId "15-11234-55676" appears twice');
  });

  it("rejects a line without a SKU, naming it", () => {
    const error = rejection(fixture("malformed-fulfillment-order-missing-sku.json"));
    expect(error.path).toBe("lineItems[1].sku");
    expect(error.message).toContain("the SKU is required");
  });
});

describe("Post-Order cancellation { cancelDetail, orderId, lineItems }", () => {
  it("cancels the joined lines of a CANCEL_CLOSED_* cancellation, keyed on the Fulfillment orderId and cancelId", () => {
    expect(parse("post-order-cancellation-closed-out-of-stock.json")).toEqual({
      cancellations: [
        {
          marketplace: "ebay",
          orderId: "14-11223-44557",
          cancellationId: "5360375788",
          occurredAt: "2025-03-05T09:12:30.000Z",
          lines: [
            {
              lineId: "10077856733333",
              sku: "TEAPOT-WHITE-1L",
              quantity: 1,
              orderedQuantity: 1,
              reason: { code: "OUT_OF_STOCK_OR_CANNOT_FULFILL" },
            },
            {
              lineId: "10077856744444",
              sku: "MUG-BLUE-12OZ",
              quantity: 4,
              orderedQuantity: 4,
              reason: { code: "OUT_OF_STOCK_OR_CANNOT_FULFILL" },
            },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("reads CANCEL_CLOSED_FOR_COMMITMENT with no reason as ORDER_UNPAID, derived", () => {
    expect(parse("post-order-cancellation-closed-for-commitment-unpaid.json").cancellations[0]?.lines.map((line) => line.reason)).toEqual([
      { code: "ORDER_UNPAID", derived: true },
      { code: "ORDER_UNPAID", derived: true },
    ]);
  });

  it("ignores requested, pending and rejected cancellations without needing line items", () => {
    const ignored = (file: string) => parse(file).ignored.map((event) => [event.kind, event.reason, event.orderId]);
    expect(ignored("post-order-cancellation-requested.json")).toEqual([["CANCEL_REQUESTED", "cancel_requested", "14-11223-44560"]]);
    expect(ignored("post-order-cancellation-pending.json")).toEqual([["CANCEL_PENDING", "cancel_pending", "14-11223-44561"]]);
    expect(ignored("post-order-cancellation-rejected.json")).toEqual([["CANCEL_REJECTED", "cancel_rejected", "14-11223-44562"]]);
  });

  it("keys the order on the Fulfillment orderId when Post-Order's legacyOrderId differs, as the Fulfillment payloads do", () => {
    expect(parse("post-order-cancellation-closed-legacy-order-id-differs.json").cancellations.map((c) => c.orderId)).toEqual([
      "14-11223-44564",
    ]);
    const error = rejection(fixture("malformed-post-order-cancellation-closed-without-order-id.json"));
    expect(error.path).toBe("orderId");
    expect(error.message).toContain("legacyOrderId may differ");
  });

  it("rejects a completed cancellation without lineItems (the research payload alone)", () => {
    const error = rejection(fixture("malformed-post-order-cancellation-closed-without-line-items.json"));
    expect(error.path).toBe("lineItems");
    expect(error.message).toContain("join the order's lineItems");
  });
});

describe("Trading GetOrders XML", () => {
  it("reads OrderArray/Order: OrderLineItemID, Item.SKU, QuantityPurchased, CancelReason, CancelCompleteDate", () => {
    expect(parse("trading-get-orders-cancel-complete-out-of-stock.xml")).toEqual({
      cancellations: [
        {
          marketplace: "ebay",
          orderId: "14-11223-44556",
          occurredAt: "2025-03-04T18:40:20.000Z",
          lines: [
            {
              lineId: "296012345678-2456789012001",
              sku: "MUG-BLUE-12OZ",
              quantity: 2,
              orderedQuantity: 2,
              reason: { code: "OutOfStockOrCannotFulfill" },
            },
            {
              lineId: "296012345999-2456789012002",
              sku: "COASTER-SET-4",
              quantity: 1,
              orderedQuantity: 1,
              reason: { code: "OutOfStockOrCannotFulfill" },
            },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("reads every order of a response: Variation.SKU, CancelDetail reason, and each ignored status", () => {
    const result = parse("trading-get-orders-several-orders.xml");
    expect(result.cancellations.map((c) => [c.orderId, c.lines.map((line) => [line.sku, line.quantity, line.reason?.code])])).toEqual([
      [
        "14-11223-44602",
        [
          ["TSHIRT-RED-M", 3, "BuyerCancelOrder"],
          ["MUG-BLUE-12OZ", 1, "BuyerCancelOrder"],
        ],
      ],
      ["14-11223-44603", [["COASTER-SET-4", 2, "AddressIssues"]]],
    ]);
    expect(result.ignored.map((event) => [event.orderId, event.kind, event.reason])).toEqual([
      ["14-11223-44604", "CancelRequested", "cancel_requested"],
      ["14-11223-44605", "CancelPending", "cancel_pending"],
      ["14-11223-44606", "CancelRejected", "cancel_rejected"],
      ["14-11223-44607", "NotApplicable", "not_a_cancellation"],
    ]);
    expect(parse("trading-order-cancel-failed.xml").ignored.map((event) => event.reason)).toEqual(["cancel_rejected"]);
  });

  it("rejects a response that lists one OrderID twice, naming the second, whether its lines differ or repeat", () => {
    const error = rejection(fixture("malformed-trading-get-orders-same-order-twice.xml"));
    expect(error.path).toBe("GetOrdersResponse.OrderArray.Order[1].OrderID");
    expect(error.message).toContain('OrderID "14-11223-44602" appears twice');
    // The same line in both copies: a TSHIRT line and a COASTER line that both key to one ledger line.
    const sameLine = fixture("malformed-trading-get-orders-same-order-twice.xml").replace(
      "<OrderLineItemID>296012345999-2456789012002</OrderLineItemID>",
      "<OrderLineItemID>296012347777-2456789012003</OrderLineItemID>",
    );
    expect(rejection(sameLine).path).toBe("GetOrdersResponse.OrderArray.Order[1].OrderID");
  });

  it("reads CancelClosedForCommitment without a reason as that code, derived, on a bare Order", () => {
    expect(parse("trading-order-cancel-closed-for-commitment.xml").cancellations).toEqual([
      {
        marketplace: "ebay",
        orderId: "14-11223-44601",
        occurredAt: null,
        lines: [
          {
            lineId: "296012345999-2456789012002",
            sku: "COASTER-SET-4",
            quantity: 1,
            orderedQuantity: 1,
            reason: { code: "CancelClosedForCommitment", derived: true },
          },
        ],
      },
    ]);
  });

  it("takes the reason and time of the cancel request that completed, not of an earlier one that did not", () => {
    const [cancellation] = parse("trading-order-cancel-complete-after-buyer-request.xml").cancellations;
    expect(cancellation?.occurredAt).toBe("2025-03-05T08:31:12.000Z");
    expect(cancellation?.lines.map((line) => [line.sku, line.reason?.code])).toEqual([["MUG-BLUE-12OZ", "OutOfStockOrCannotFulfill"]]);
  });

  it("leaves a shipped transaction out, and cancels an order Cancelled with no CancelStatus with no reason", () => {
    expect(
      parse("trading-order-cancel-complete-one-line-shipped.xml").cancellations[0]?.lines.map((line) => [line.sku, line.quantity]),
    ).toEqual([["TSHIRT-RED-M", 2]]);
    expect(
      parse("trading-order-cancelled-without-cancel-status.xml").cancellations[0]?.lines.map((line) => [line.sku, line.reason]),
    ).toEqual([["MUG-BLUE-12OZ", null]]);
  });

  it("ignores an empty response and rejects a failed call, other XML and broken XML", () => {
    expect(parse("trading-get-orders-empty.xml")).toEqual({
      cancellations: [],
      ignored: [{ kind: "GetOrdersResponse", reason: "not_a_cancellation", detail: "the response holds no orders" }],
    });
    expect(rejection(fixture("malformed-trading-get-orders-ack-failure.xml")).path).toBe("GetOrdersResponse.Ack");
    expect(rejection(fixture("malformed-xml-not-a-feed.xml")).message).toContain("not a Trading GetOrders response");
    expect(rejection(fixture("malformed-document-xml-truncated.xml")).message).toContain("not well-formed XML");
    expect(rejection(fixture("malformed-trading-order-quantity-negative.xml")).path).toBe(
      "Order.TransactionArray.Transaction[0].QuantityPurchased",
    );
  });

  it("decodes character references, hex and decimal, and the predefined entities: MUG&#x2D;BLUE&#45;12OZ is the SKU MUG-BLUE-12OZ", () => {
    expect(parse("trading-get-orders-numeric-character-reference.xml")).toEqual(
      parse("trading-get-orders-cancel-complete-out-of-stock.xml"),
    );
    const sku = (text: string) =>
      ebayAdapter.parse(fixture("trading-get-orders-cancel-complete-out-of-stock.xml").replace("MUG-BLUE-12OZ", text)).cancellations[0]
        ?.lines[0]?.sku;
    expect(sku("MUG&amp;BLUE &lt;12OZ&gt; &quot;&apos;")).toBe(`MUG&BLUE <12OZ> "'`);
    expect(sku("MUG&amp;#45;BLUE")).toBe("MUG&#45;BLUE");
  });

  it("rejects any other entity, naming the element, and never expands an entity the DOCTYPE declares", () => {
    const unknown = rejection(fixture("malformed-trading-get-orders-undefined-entity.xml"));
    expect(unknown.path).toBe("GetOrdersResponse.OrderArray.Order.TransactionArray.Transaction.Item.SKU");
    expect(unknown.message).toContain('"&undefined;" is not a character reference');
    expect(rejection(fixture("malformed-trading-get-orders-doctype-entity.xml")).message).toContain('"&sku;" is not');
    expect(rejection(fixture("malformed-xml-billion-laughs.xml")).message).toContain('"&lol9;" is not');
    const noCharacter = fixture("trading-get-orders-cancel-complete-out-of-stock.xml").replace("MUG-BLUE-12OZ", "MUG&#0;BLUE");
    expect(rejection(noCharacter).message).toContain('"&#0;" is not');
  });
});

describe("decisions through the engine", () => {
  it("withholds an out-of-stock cancellation under Smart Logic", () => {
    expect(decisions("post-order-cancellation-closed-out-of-stock.json").map((d) => [d.sku, d.restore, d.rule, d.reasonLabel])).toEqual([
      ["TEAPOT-WHITE-1L", false, "smart.do_not_restore", "Seller Ran Out Of Stock"],
      ["MUG-BLUE-12OZ", false, "smart.do_not_restore", "Seller Ran Out Of Stock"],
    ]);
  });

  it("matches Trading spellings to the spec rows by normalized key", () => {
    expect(decisions("trading-get-orders-cancel-complete-out-of-stock.xml")[0]).toMatchObject({
      restore: false,
      reasonCode: "OutOfStockOrCannotFulfill",
      reasonLabel: "Seller Ran Out Of Stock",
      reasonOrigin: "spec",
    });
    expect(decisions("trading-get-orders-several-orders.xml").map((d) => [d.reasonCode, d.reasonLabel, d.rule])).toEqual([
      ["BuyerCancelOrder", "Buyer No Longer Wants Item", "smart.restore"],
      ["BuyerCancelOrder", "Buyer No Longer Wants Item", "smart.restore"],
      ["AddressIssues", "Buyer Address Issue", "smart.restore"],
    ]);
  });

  it("restores an unpaid order and says the reason was derived", () => {
    expect(decisions("post-order-cancellation-closed-for-commitment-unpaid.json")[0]).toMatchObject({
      restore: true,
      rule: "smart.restore",
      reasonCode: "ORDER_UNPAID",
      reasonLabel: "Buyer Did Not Pay For Item",
      reasonDerived: true,
    });
  });

  it("classifies a free-text reason by normalized key, and restores unknown and missing reasons", () => {
    expect(decisions("fulfillment-order-canceled-free-text-reason.json")[0]).toMatchObject({
      reasonLabel: "Order Placed By Mistake",
      reasonOrigin: "extended",
      rule: "smart.restore",
    });
    expect(decisions("fulfillment-order-canceled-unknown-reason.json").map((d) => [d.restore, d.rule, d.reasonOrigin])).toEqual([
      [true, "smart.unknown_reason", "unknown"],
    ]);
    expect(decisions("fulfillment-order-canceled-without-cancel-requests.json").map((d) => d.rule)).toEqual([
      "smart.no_reason",
      "smart.no_reason",
    ]);
  });

  it("follows the integration's mode over the reason", () => {
    expect(decisions("post-order-cancellation-closed-out-of-stock.json", "always").map((d) => d.restore)).toEqual([true, true]);
    expect(decisions("fulfillment-order-canceled-buyer-asked-cancel.json", "never").map((d) => [d.restore, d.rule])).toEqual([
      [false, "never"],
      [false, "never"],
    ]);
  });
});

describe("adapter declaration", () => {
  it("holds the rule book's eBay table, one row per normalized key", () => {
    const table = Object.fromEntries(ebayAdapter.reasons.map((row) => [row.code, `${row.origin} ${row.outcome} ${row.label}`]));
    expect(table).toEqual({
      ADDRESS_ISSUES: "spec restore Buyer Address Issue",
      BUYER_ASKED_CANCEL: "spec restore Buyer No Longer Wants Item",
      BuyerCancelOrder: "spec restore Buyer No Longer Wants Item",
      ORDER_UNPAID: "spec restore Buyer Did Not Pay For Item",
      CancelClosedForCommitment: "spec restore Buyer Did Not Pay For Item",
      OUT_OF_STOCK_OR_CANNOT_FULFILL: "spec do_not_restore Seller Ran Out Of Stock",
      OutOfStock: "spec do_not_restore Seller Ran Out Of Stock",
      BUYER_CANCEL_OR_ADDRESS_ISSUE: "extended restore Buyer Cancel Or Address Issue",
      FOUND_CHEAPER_PRICE: "extended restore Found Cheaper Price",
      ORDER_MISTAKE: "extended restore Order Placed By Mistake",
      OrderPlacedByMistake: "extended restore Order Placed By Mistake",
      PRICE_TOO_HIGH: "extended restore Price Too High",
      WONT_ARRIVE_IN_TIME: "extended restore Won't Arrive In Time",
      WRONG_SHIPPING_ADDRESS: "extended restore Wrong Shipping Address",
      WRONG_PAYMENT_METHOD: "extended restore Wrong Payment Method",
      WRONG_SHIPPING_METHOD: "extended restore Wrong Shipping Method",
      OTHER: "extended ambiguous Other",
      UNKNOWN: "extended ambiguous Unknown",
      CustomCode: "extended ambiguous Custom Code",
      BuyerNoShow: "extended ambiguous Buyer No Show",
      BuyerRefused: "extended ambiguous Buyer Refused",
      BuyerNotSchedule: "extended ambiguous Buyer Did Not Schedule",
      ValetDeliveryIssues: "extended ambiguous Valet Delivery Issues",
      ValetUnavailable: "extended ambiguous Valet Unavailable",
    });
  });

  it("classifies the second spelling of each merged row like the first", () => {
    const cancellation = (code: string) => ({
      marketplace: "ebay",
      orderId: "14-11223-44556",
      occurredAt: null,
      lines: [{ lineId: "1", sku: "MUG-BLUE-12OZ", quantity: 1, reason: { code } }],
    });
    const spellings = [
      "AddressIssues",
      "OutOfStockOrCannotFulfill",
      "BuyerCancelOrAddressIssue",
      "FoundCheaperPrice",
      "PriceTooHigh",
      "WontArriveInTime",
    ];
    expect(
      spellings.map((code) => {
        const [decision] =
          engine.evaluate({ marketplace: "ebay", mode: "smart", cancellation: cancellation(code) }).cancellations[0]?.decisions ?? [];
        return [code, decision?.reasonLabel, decision?.reasonOrigin];
      }),
    ).toEqual([
      ["AddressIssues", "Buyer Address Issue", "spec"],
      ["OutOfStockOrCannotFulfill", "Seller Ran Out Of Stock", "spec"],
      ["BuyerCancelOrAddressIssue", "Buyer Cancel Or Address Issue", "extended"],
      ["FoundCheaperPrice", "Found Cheaper Price", "extended"],
      ["PriceTooHigh", "Price Too High", "extended"],
      ["WontArriveInTime", "Won't Arrive In Time", "extended"],
    ]);
  });

  it("reads JSON and XML, and checks relayed deliveries with a shared secret", () => {
    expect(ebayAdapter.capabilities).toEqual({ formats: ["json", "xml"], webhookAuth: "shared-secret" });
    const body = fixture("fulfillment-order-canceled-buyer-asked-cancel.json");
    expect(ebayAdapter.verifyWebhook?.({ headers: {}, rawBody: body, url: "/hooks/ebay?token=s3cret" }, "s3cret")).toBe(true);
    expect(ebayAdapter.verifyWebhook?.({ headers: { "x-restock-token": "guess" }, rawBody: body }, "s3cret")).toBe(false);
    expect(ebayAdapter.verifyWebhook?.({ headers: {}, rawBody: body }, "s3cret")).toBe(false);
  });
});
