import { readFileSync } from "node:fs";
import { createEngine, isPayloadError, type PayloadError, type RestorationMode } from "@restock/core";
import { describe, expect, it } from "vitest";
import { amazonAdapter } from "../src/index.js";

const fixture = (file: string) => readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8");
const parse = (file: string) => amazonAdapter.parse(fixture(file));
const engine = createEngine({ adapters: [amazonAdapter] });
const decisions = (file: string, mode: RestorationMode = "smart") =>
  engine.evaluate({ marketplace: "amazon", mode, payload: fixture(file) }).cancellations.flatMap((c) => c.decisions);

function rejection(raw: unknown): PayloadError {
  try {
    amazonAdapter.parse(raw);
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error("the payload was accepted");
}

const MUG = { lineId: "46592810393018", sku: "MUG-BLUE-12OZ" };
const COASTER = { lineId: "46592810393042", sku: "COASTER-SET-4" };
const BUYER_CANCELED = { code: "BuyerCanceled", derived: true };

describe("ORDER_CHANGE notification", () => {
  it("cancels each item's units on OrderStatusChange to Canceled, with no reason when the buyer did not ask", () => {
    expect(parse("order-change-canceled-no-buyer-request.json")).toEqual({
      cancellations: [
        {
          marketplace: "amazon",
          orderId: "113-4417732-9051623",
          cancellationId: "e2a9c1d4-5b6f-4a70-8c91-2d3e4f5a6b7c",
          occurredAt: "2025-03-04T17:20:58.000Z",
          lines: [
            { ...MUG, quantity: 2, orderedQuantity: 2, reason: null },
            { ...COASTER, quantity: 1, orderedQuantity: 1, reason: null },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("reads IsBuyerRequestedCancel as BuyerCanceled, marked derived", () => {
    const [cancellation] = parse("order-change-canceled-buyer-requested.json").cancellations;
    expect(cancellation?.orderId).toBe("113-5528843-1162734");
    expect(cancellation?.lines.map((line) => [line.lineId, line.quantity, line.reason])).toEqual([
      [MUG.lineId, 2, BUYER_CANCELED],
      [COASTER.lineId, 1, BUYER_CANCELED],
    ]);
  });

  it("reports the same cumulative quantities when a notification is delivered twice", () => {
    expect(parse("order-change-canceled-buyer-requested-redelivered.json")).toEqual(parse("order-change-canceled-buyer-requested.json"));
  });

  it("leaves shipped units out", () => {
    const [cancellation] = parse("order-change-canceled-partially-shipped.json").cancellations;
    expect(cancellation?.lines).toEqual([
      { ...MUG, quantity: 2, orderedQuantity: 3, reason: BUYER_CANCELED },
      { ...COASTER, quantity: 1, orderedQuantity: 1, reason: BUYER_CANCELED },
    ]);
  });

  it("takes an item Shipped without QuantityShipped as wholly shipped: only the unshipped item is cancelled", () => {
    const [cancellation] = parse("order-change-canceled-item-shipped-without-quantity-shipped.json").cancellations;
    expect(cancellation?.lines).toEqual([{ ...COASTER, quantity: 1, orderedQuantity: 1, reason: BUYER_CANCELED }]);
  });

  it("ignores a BuyerRequestedChange, another status and an FBA order", () => {
    expect(parse("order-change-buyer-requested-change.json")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "BuyerRequestedChange",
          reason: "cancel_requested",
          orderId: "113-4417732-9051623",
          detail: "the buyer asked to cancel; the order is not cancelled yet",
        },
      ],
    });
    expect(parse("order-change-status-shipped.json").ignored).toEqual([
      { kind: "OrderStatusChange", reason: "not_a_cancellation", orderId: "113-6639954-2273845", detail: "OrderStatus Shipped" },
    ]);
    const fba = parse("order-change-canceled-fulfilled-by-amazon.json");
    expect(fba.cancellations).toEqual([]);
    expect(fba.ignored.map((event) => [event.reason, event.orderId])).toEqual([["fulfilled_by_marketplace", "114-8851176-4495067"]]);
  });

  it("ignores a Canceled order whose units had all shipped", () => {
    const document = JSON.parse(fixture("order-change-status-shipped.json"));
    document.Payload.OrderChangeNotification.Summary.OrderStatus = "Canceled";
    expect(amazonAdapter.parse(document)).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "OrderStatusChange",
          reason: "not_a_cancellation",
          orderId: "113-6639954-2273845",
          detail: "OrderStatus Canceled, but every unit had shipped",
        },
      ],
    });
  });
});

describe("Orders API v0 envelope { order, orderItems }", () => {
  it("cancels a Canceled order's items, BuyerCanceled when IsBuyerRequestedCancel is the string true", () => {
    expect(parse("orders-v0-canceled-buyer-requested.json")).toEqual({
      cancellations: [
        {
          marketplace: "amazon",
          orderId: "113-4417732-9051623",
          occurredAt: null,
          lines: [
            { ...MUG, quantity: 2, orderedQuantity: 2, reason: BUYER_CANCELED },
            { ...COASTER, quantity: 1, orderedQuantity: 1, reason: BUYER_CANCELED },
          ],
        },
      ],
      ignored: [],
    });
  });

  it("cancels QuantityOrdered minus QuantityShipped, with no reason when the flag is false", () => {
    const [cancellation] = parse("orders-v0-canceled-one-item-partly-shipped.json").cancellations;
    expect(cancellation?.lines).toEqual([
      { ...MUG, quantity: 1, orderedQuantity: 4, reason: null },
      { ...COASTER, quantity: 1, orderedQuantity: 1, reason: null },
    ]);
  });

  it("treats a buyer's request on an open order as a request", () => {
    expect(parse("orders-v0-buyer-requested-unshipped.json").ignored).toEqual([
      {
        kind: "BuyerRequestedCancel",
        reason: "cancel_requested",
        orderId: "113-1073398-6617289",
        detail: "the buyer asked to cancel; OrderStatus is Unshipped",
      },
    ]);
  });

  it("rejects responses for two different orders", () => {
    expect(rejection(fixture("malformed-orders-v0-order-ids-differ.json")).path).toBe("orderItems.payload.AmazonOrderId");
  });
});

describe("Orders API 2026-01-01", () => {
  it("passes free text that matches no code as an unknown code, with the text as label", () => {
    const [cancellation] = parse("orders-2026-canceled-merchant-free-text-unknown-reason.json").cancellations;
    const text = "Buyer requested cancellation";
    expect(cancellation?.lines).toEqual([
      { ...MUG, quantity: 2, orderedQuantity: 2, reason: { code: text, label: text } },
      { ...COASTER, quantity: 1, orderedQuantity: 1, reason: { code: text, label: text } },
    ]);
  });

  it("keeps free text as the raw code; core matches it to the table by normalized key", () => {
    expect(parse("orders-2026-canceled-no-inventory.json").cancellations[0]?.lines).toEqual([
      { ...MUG, quantity: 2, orderedQuantity: 2, reason: { code: "No Inventory" } },
    ]);
    expect(decisions("orders-2026-canceled-no-inventory.json")[0]).toMatchObject({
      reasonCode: "No Inventory",
      reasonLabel: "No Inventory",
      reasonOrigin: "spec",
      rule: "smart.do_not_restore",
    });
    expect(parse("orders-2026-canceled-one-item-address-undeliverable.json").cancellations[0]?.lines).toEqual([
      { ...MUG, quantity: 2, orderedQuantity: 3, reason: { code: "Shipping address undeliverable" } },
    ]);
  });

  it("a CANCELLED order cancels every item: one showing only its cancellationRequest has no reason", () => {
    // Before, the request-only item was dropped (and an order of such items ignored as cancel_requested).
    expect(parse("orders-2026-canceled-one-item-showing-only-its-request.json")).toEqual({
      cancellations: [
        {
          marketplace: "amazon",
          orderId: "113-5529147-6602318",
          occurredAt: null,
          lines: [
            { ...MUG, quantity: 1, orderedQuantity: 1, reason: { code: "Pricing error" } },
            { ...COASTER, quantity: 2, orderedQuantity: 2, reason: null },
          ],
        },
      ],
      ignored: [],
    });
    expect(decisions("orders-2026-canceled-one-item-showing-only-its-request.json").map((d) => [d.sku, d.quantity, d.rule])).toEqual([
      [MUG.sku, 1, "smart.restore"],
      [COASTER.sku, 2, "smart.no_reason"],
    ]);
  });

  it("reads cancelledBy BUYER as BuyerCanceled, derived, whatever the text", () => {
    expect(parse("orders-2026-canceled-by-buyer.json").cancellations[0]?.lines.map((line) => line.reason)).toEqual([
      BUYER_CANCELED,
      BUYER_CANCELED,
    ]);
  });

  it("cancels every item of a CANCELLED order read without cancellation data, with no reason", () => {
    expect(parse("orders-2026-canceled-without-cancellation-data.json").cancellations[0]?.lines).toEqual([
      { ...MUG, quantity: 2, orderedQuantity: 2, reason: null },
      { ...COASTER, quantity: 1, orderedQuantity: 1, reason: null },
    ]);
  });

  it("ignores a request that was not executed, and an order fulfilled by Amazon", () => {
    expect(parse("orders-2026-cancellation-requested.json")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "cancellationRequest",
          reason: "cancel_requested",
          orderId: "113-4306621-9940512",
          detail: "a cancellation was requested and not executed",
        },
      ],
    });
    expect(parse("orders-2026-canceled-fulfilled-by-amazon.json").ignored.map((event) => event.reason)).toEqual([
      "fulfilled_by_marketplace",
    ]);
  });

  it("rejects a searchOrders response that lists one order twice, naming the second", () => {
    const error = rejection(fixture("malformed-orders-2026-search-same-order-twice.json"));
    expect(error.path).toBe("orders[1].orderId");
    expect(error.message).toContain('orderId "113-7639954-2273845" appears twice');
    const search = JSON.parse(fixture("orders-2026-search-pricing-error-and-request.json"));
    search.orders[1].orderId = search.orders[0].orderId;
    expect(rejection(search).path).toBe("orders[1].orderId");
  });

  it("reads every order of a searchOrders response", () => {
    const result = parse("orders-2026-search-pricing-error-and-request.json");
    expect(result.cancellations.map((c) => [c.orderId, c.lines.map((line) => [line.sku, line.quantity, line.reason?.code])])).toEqual([
      ["113-7639954-2273845", [["MUG-BLUE-12OZ", 1, "Pricing error"]]],
    ]);
    expect(result.ignored.map((event) => [event.orderId, event.reason])).toEqual([["113-8740065-3384956", "cancel_requested"]]);
  });
});

describe("OrderAcknowledgement cancel feed", () => {
  it("reads the XML feed: order, AmazonOrderItemCode as line id, MerchantOrderItemID as SKU, Quantity, CancelReason", () => {
    expect(parse("order-acknowledgement-no-inventory.xml")).toEqual({
      cancellations: [
        {
          marketplace: "amazon",
          orderId: "113-4417732-9051623",
          occurredAt: null,
          lines: [{ ...MUG, quantity: 2, reason: { code: "NoInventory" } }],
        },
      ],
      ignored: [],
    });
  });

  it("reads the JSON mirror of the XML to the same result, a single Message written as an object", () => {
    const json = {
      AmazonEnvelope: {
        MessageType: "OrderAcknowledgement",
        Message: {
          MessageID: 1,
          OrderAcknowledgement: {
            AmazonOrderID: "113-4417732-9051623",
            StatusCode: "Failure",
            Item: { AmazonOrderItemCode: MUG.lineId, MerchantOrderItemID: MUG.sku, CancelReason: "NoInventory", Quantity: 2 },
          },
        },
      },
    };
    expect(amazonAdapter.parse(json)).toEqual(parse("order-acknowledgement-no-inventory.xml"));
  });

  it("gives one cancellation per Failure message and ignores a Success message", () => {
    const result = parse("order-acknowledgement-several-messages.xml");
    expect(result.cancellations.map((c) => [c.orderId, c.lines])).toEqual([
      [
        "113-3306621-4940512",
        [{ lineId: "46592810411001", sku: "MUG-BLUE-12OZ", quantity: 1, reason: { code: "ShippingAddressUndeliverable" } }],
      ],
      ["113-4417732-5051623", [{ lineId: "46592810422002", sku: "COASTER-SET-4", quantity: 2, reason: { code: "CustomerExchange" } }]],
    ]);
    expect(result.ignored).toEqual([
      {
        kind: "OrderAcknowledgement",
        reason: "not_a_cancellation",
        orderId: "113-5528843-6162734",
        detail: "StatusCode Success: the seller accepted the order",
      },
    ]);
  });

  it("keeps a reason per item, takes an SKU element, and leaves a missing CancelReason as no reason", () => {
    expect(parse("order-acknowledgement-general-adjustment-and-pricing-error.json").cancellations[0]?.lines).toEqual([
      { ...MUG, quantity: 2, reason: { code: "GeneralAdjustment" } },
      { ...COASTER, quantity: 1, reason: { code: "PricingError" } },
    ]);
    expect(
      parse("order-acknowledgement-adjustment-feed-codes.xml").cancellations[0]?.lines.map((line) => [line.sku, line.reason?.code]),
    ).toEqual([
      ["MUG-BLUE-12OZ", "CustomerCancel"],
      ["COASTER-SET-4", "ProductOutofStock"],
      ["TEAPOT-WHITE-1L", "CarrierCoverageFailure"],
    ]);
    expect(parse("order-acknowledgement-missing-reason.xml").cancellations[0]?.lines[0]?.reason).toBeNull();
  });

  it("rejects a cancelled Item without a SKU or a Quantity, naming the field", () => {
    const sku = rejection(fixture("malformed-order-acknowledgement-missing-sku.xml"));
    expect(sku.path).toBe("AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].SKU");
    expect(sku.message).toContain("the SKU is required");
    expect(rejection(fixture("malformed-order-acknowledgement-missing-quantity.xml")).path).toBe(
      "AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].Quantity",
    );
    expect(rejection(fixture("malformed-order-acknowledgement-quantity-fractional.xml")).message).toContain('got "1.5"');
  });

  it("rejects one order's AmazonOrderItemCode in two Messages, naming the second: the ledger keeps one count per line", () => {
    const error = rejection(fixture("malformed-order-acknowledgement-same-line-in-two-messages.xml"));
    expect(error.path).toBe("AmazonEnvelope.Message[1].OrderAcknowledgement.Item[0].AmazonOrderItemCode");
    expect(error.message).toContain('AmazonOrderItemCode "46592810393018" of AmazonOrderID "113-4417732-9051623" appears twice');
    expect(error.message).toContain("Message[0].OrderAcknowledgement.Item[0]");
    const json = {
      AmazonEnvelope: {
        MessageType: "OrderAcknowledgement",
        Message: [1, 2].map((id) => ({
          MessageID: id,
          OrderAcknowledgement: {
            AmazonOrderID: "TM-1",
            StatusCode: "Failure",
            Item: { AmazonOrderItemCode: "1", SKU: id === 1 ? "TM-A" : "TM-B", Quantity: id + 1 },
          },
        })),
      },
    };
    expect(rejection(json).path).toBe("AmazonEnvelope.Message[1].OrderAcknowledgement.Item[0].AmazonOrderItemCode");
  });

  it("keeps two Messages for one order with different items, and one item code in two orders, as they are", () => {
    expect(parse("order-acknowledgement-same-order-in-two-messages.xml").cancellations.map((c) => [c.orderId, c.lines])).toEqual([
      ["113-4417732-9051623", [{ ...MUG, quantity: 2, reason: { code: "NoInventory" } }]],
      ["113-4417732-9051623", [{ lineId: COASTER.lineId, sku: COASTER.sku, quantity: 3, reason: { code: "NoInventory" } }]],
    ]);
    const otherOrder = fixture("malformed-order-acknowledgement-same-line-in-two-messages.xml").replace(
      /(<MessageID>2<\/MessageID>\s*<OrderAcknowledgement>\s*<AmazonOrderID>)113-4417732-9051623/,
      "$1113-5528843-6162734",
    );
    expect(amazonAdapter.parse(otherOrder).cancellations.map((c) => [c.orderId, c.lines[0]?.sku, c.lines[0]?.quantity])).toEqual([
      ["113-4417732-9051623", "MUG-BLUE-12OZ", 2],
      ["113-5528843-6162734", "COASTER-SET-4", 3],
    ]);
  });

  it("rejects XML that is not a feed, and XML that is not well-formed", () => {
    expect(rejection(fixture("malformed-xml-not-a-feed.xml")).message).toContain("not an Amazon feed");
    expect(rejection(fixture("malformed-document-xml-truncated.xml")).message).toContain("not well-formed XML");
  });

  it("decodes character references, hex and decimal, and the predefined entities: MUG&#x2D;BLUE&#45;12OZ is the SKU MUG-BLUE-12OZ", () => {
    expect(parse("order-acknowledgement-numeric-character-reference.xml")).toEqual(parse("order-acknowledgement-no-inventory.xml"));
    const sku = (text: string) =>
      amazonAdapter.parse(fixture("order-acknowledgement-no-inventory.xml").replace("MUG-BLUE-12OZ", text)).cancellations[0]?.lines[0]?.sku;
    expect(sku("MUG&amp;BLUE &lt;12OZ&gt; &quot;&apos;")).toBe(`MUG&BLUE <12OZ> "'`);
    expect(sku("MUG&amp;#45;BLUE")).toBe("MUG&#45;BLUE");
  });

  it("rejects any other entity, naming the element, and never expands an entity the DOCTYPE declares", () => {
    const unknown = rejection(fixture("malformed-order-acknowledgement-undefined-entity.xml"));
    expect(unknown.path).toBe("AmazonEnvelope.Message.OrderAcknowledgement.Item.MerchantOrderItemID");
    expect(unknown.message).toContain('"&undefined;" is not a character reference');
    expect(rejection(fixture("malformed-order-acknowledgement-doctype-entity.xml")).message).toContain('"&sku;" is not');
    expect(rejection(fixture("malformed-xml-billion-laughs.xml")).message).toContain('"&lol9;" is not');
    const noCharacter = fixture("order-acknowledgement-no-inventory.xml").replace("MUG-BLUE-12OZ", "MUG&#0;BLUE");
    expect(rejection(noCharacter).message).toContain('"&#0;" is not');
  });
});

describe("decisions through the engine", () => {
  it("withholds NoInventory under Smart Logic", () => {
    expect(decisions("order-acknowledgement-no-inventory.xml")).toEqual([
      {
        ...MUG,
        restore: false,
        quantity: 2,
        mode: "smart",
        outcome: "do_not_restore",
        rule: "smart.do_not_restore",
        reasonCode: "NoInventory",
        reasonLabel: "No Inventory",
        reasonOrigin: "spec",
        reasonDerived: false,
      },
    ]);
  });

  it("restores a derived BuyerCanceled and says it was derived", () => {
    const [first] = decisions("order-change-canceled-buyer-requested.json");
    expect(first).toMatchObject({
      restore: true,
      rule: "smart.restore",
      reasonCode: "BuyerCanceled",
      reasonOrigin: "spec",
      reasonDerived: true,
    });
  });

  it("decides per line: restore, withhold and ambiguous in one feed message", () => {
    expect(decisions("order-acknowledgement-adjustment-feed-codes.xml").map((d) => [d.sku, d.restore, d.rule, d.reasonOrigin])).toEqual([
      ["MUG-BLUE-12OZ", true, "smart.restore", "extended"],
      ["COASTER-SET-4", false, "smart.do_not_restore", "extended"],
      ["TEAPOT-WHITE-1L", true, "smart.ambiguous", "extended"],
    ]);
  });

  it("restores no reason and unknown reasons, and says which", () => {
    expect(decisions("order-change-canceled-no-buyer-request.json").map((d) => [d.restore, d.rule, d.reasonOrigin])).toEqual([
      [true, "smart.no_reason", "none"],
      [true, "smart.no_reason", "none"],
    ]);
    const [unknown] = decisions("orders-2026-canceled-merchant-free-text-unknown-reason.json");
    expect(unknown).toMatchObject({
      restore: true,
      rule: "smart.unknown_reason",
      reasonCode: "Buyer requested cancellation",
      reasonOrigin: "unknown",
    });
    expect(decisions("order-acknowledgement-general-adjustment-and-pricing-error.json").map((d) => [d.rule, d.reasonLabel])).toEqual([
      ["smart.ambiguous", "General Adjustment"],
      ["smart.restore", "Pricing Error"],
    ]);
  });

  it("follows the integration's mode over the reason", () => {
    expect(decisions("order-acknowledgement-no-inventory.xml", "always").map((d) => [d.restore, d.rule])).toEqual([[true, "always"]]);
    expect(decisions("order-change-canceled-buyer-requested.json", "never").map((d) => [d.restore, d.rule])).toEqual([
      [false, "never"],
      [false, "never"],
    ]);
  });
});

describe("adapter declaration", () => {
  it("holds the rule book's Amazon table: six spec rows and the extended codes with their outcomes", () => {
    const table = Object.fromEntries(amazonAdapter.reasons.map((row) => [row.code, `${row.origin} ${row.outcome}`]));
    const rows = (origin: string, outcome: string, codes: string) => codes.split(" ").map((code) => [code, `${origin} ${outcome}`]);
    expect(table).toEqual(
      Object.fromEntries([
        ...rows("spec", "restore", "BuyerCanceled PricingError ShippingAddressUndeliverable CustomerExchange"),
        ...rows("spec", "do_not_restore", "NoInventory"),
        ...rows("spec", "ambiguous", "GeneralAdjustment"),
        ...rows(
          "extended",
          "restore",
          "CustomerCancel PriceError Exchange CustomerAddressIncorrect RiskAssessmentInformationNotValid CannotVerifyInformation",
        ),
        ...rows("extended", "do_not_restore", "ProductOutofStock MerchandiseNotReceived"),
        ...rows(
          "extended",
          "ambiguous",
          "CarrierCreditDecision CarrierCoverageFailure CustomerReturn RejectOrder WeatherDelay CouldNotShip DifferentItem Abandoned Other TransactionRecord Undeliverable RefusedDelivery",
        ),
      ]),
    );
    expect(amazonAdapter.reasons.filter((row) => row.origin === "spec").map((row) => row.label)).toEqual([
      "Buyer Canceled",
      "Pricing Error",
      "Shipping Address Undeliverable",
      "Customer Exchange",
      "No Inventory",
      "General Adjustment",
    ]);
  });

  it("reads JSON and XML, and checks relayed deliveries with a shared secret", () => {
    expect(amazonAdapter.capabilities).toEqual({ formats: ["json", "xml"], webhookAuth: "shared-secret" });
    const body = fixture("order-change-canceled-no-buyer-request.json");
    expect(amazonAdapter.verifyWebhook?.({ headers: { "x-restock-token": "s3cret" }, rawBody: body }, "s3cret")).toBe(true);
    expect(amazonAdapter.verifyWebhook?.({ headers: { "x-restock-token": "guess" }, rawBody: body }, "s3cret")).toBe(false);
    expect(amazonAdapter.verifyWebhook?.({ headers: {}, rawBody: body }, "s3cret")).toBe(false);
  });
});
