import { createEngine, isPayloadError, MAX_UNITS, type PayloadError } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { reverbAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => reverbAdapter.parse(fixture(name));

function rejection(name: string): PayloadError {
  try {
    reverbAdapter.parse(fixture(name));
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error(`${name} was accepted`);
}

describe("reverb: orders (orders/update webhook)", () => {
  it("a cancelled order cancels its one listing with no reason", () => {
    expect(parse("order-cancelled-unpaid-no-reason")).toEqual({
      cancellations: [
        {
          marketplace: "reverb",
          orderId: "100200301",
          occurredAt: "2024-03-06T16:00:00.000Z",
          lines: [{ lineId: "55667789", sku: "GTR-STRAT-001", quantity: 1, orderedQuantity: 1, reason: null }],
        },
      ],
      ignored: [],
    });
  });

  it("cancels the order's whole quantity", () => {
    expect(parse("order-cancelled-two-units").cancellations[0]?.lines).toEqual([
      { lineId: "55667790", sku: "PEDAL-FUZZ-01", quantity: 2, orderedQuantity: 2, reason: null },
    ]);
  });

  it("other statuses are not cancellations; refunded waits for its refund request", () => {
    expect(parse("order-paid-not-a-cancellation").ignored).toEqual([
      { kind: "paid", reason: "not_a_cancellation", orderId: "100200303", detail: "order status paid cancels nothing" },
    ]);
    expect(parse("order-refunded-awaits-refund-request").ignored).toEqual([
      {
        kind: "refunded",
        reason: "not_a_cancellation",
        orderId: "100200304",
        detail: "a refunded order is acted on through its refund request, which carries the reason",
      },
    ]);
  });

  it("an orders page gives one result per order", () => {
    const { cancellations, ignored } = parse("orders-page-cancelled-and-shipped");
    expect(cancellations.map((c) => [c.orderId, c.lines[0]?.sku])).toEqual([["100200305", "SYNTH-JUNO-60"]]);
    expect(ignored.map((event) => [event.orderId, event.kind])).toEqual([["100200306", "shipped"]]);
  });
});

describe("reverb: refund request envelope", () => {
  it("a completed refund of the order total cancels the listing with the refund's reason", () => {
    expect(parse("refund-approved-sold-elsewhere")).toEqual({
      cancellations: [
        {
          marketplace: "reverb",
          orderId: "100200307",
          cancellationId: "7707",
          occurredAt: "2024-03-09T18:30:00.000Z",
          lines: [{ lineId: "55667795", sku: "GTR-LP-STD", quantity: 1, orderedQuantity: 1, reason: { code: "sold_elsewhere" } }],
        },
      ],
      ignored: [],
    });
    expect(parse("refund-approved-sold-elsewhere-redelivered")).toEqual(parse("refund-approved-sold-elsewhere"));
  });

  it("auto_approved and refund_sent are completed too", () => {
    expect(parse("refund-auto-approved-accidental-order").cancellations[0]?.lines[0]).toMatchObject({
      sku: "STRINGS-10-46",
      quantity: 3,
      reason: { code: "accidental_order" },
    });
    expect(parse("refund-sent-change-shipping-address").cancellations[0]?.lines[0]?.reason).toEqual({ code: "change_shipping_address" });
  });

  it("a refund below the order total is a partial refund", () => {
    expect(parse("refund-approved-partial-shipping-adjustments")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "approved",
          reason: "partial_refund",
          orderId: "100200314",
          detail: "refund of 45.00 of the order total 1000.00: money only, no units cancelled",
        },
      ],
    });
  });

  it("pending, conditionally approved, denied and cancelled requests are ignored", () => {
    const ignored = (name: string) => parse(name).ignored.map((event) => [event.kind, event.reason]);
    expect(ignored("refund-pending-seller-response")).toEqual([["pending_seller_response", "cancel_requested"]]);
    expect(ignored("refund-conditionally-approved")).toEqual([["conditionally_approved", "cancel_pending"]]);
    expect(ignored("refund-denied")).toEqual([["denied", "cancel_rejected"]]);
    expect(ignored("refund-cancelled-by-buyer")).toEqual([["cancelled", "cancel_rejected"]]);
  });

  it("a null reason is no reason; an unlisted reason is kept", () => {
    expect(parse("refund-approved-no-reason").cancellations[0]?.lines[0]?.reason).toBeNull();
    expect(parse("refund-approved-unknown-reason").cancellations[0]?.lines[0]?.reason).toEqual({ code: "buyer_changed_mind" });
  });
});

describe("reverb: malformed payloads name the field", () => {
  it.each([
    ["malformed-refund-request-without-order", "order"],
    ["malformed-missing-order-number", "order_number"],
    ["malformed-quantity-negative", "quantity"],
    ["malformed-quantity-fractional", "quantity"],
    ["malformed-quantity-string", "quantity"],
    ["malformed-cancelled-without-sku", "sku"],
    ["malformed-refund-amount-not-a-number", "refund_request.refund_amount.amount"],
    ["malformed-completed-refund-without-order-total", "order.total"],
    ["malformed-status-wrong-type", "status"],
  ])("%s → %s", (name, path) => {
    expect(rejection(name).path).toBe(path);
  });
});

describe("reverb: quantities above MAX_UNITS are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [reverbAdapter] });
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "reverb", mode: "smart", payload: JSON.stringify(payload) });

  it.each([MAX_UNITS + 1, 9007199254740991])("quantity %d of a cancelled order, an orders page and a refund's order", (units) => {
    const order = { ...JSON.parse(fixture("order-cancelled-two-units")), quantity: units };
    expect(payloadRefusal(reverbAdapter, order).path).toBe("quantity");
    expect(payloadRefusal(reverbAdapter, { orders: [order] }).path).toBe("orders[0].quantity");
    const envelope = JSON.parse(fixture("refund-approved-sold-elsewhere"));
    envelope.order.quantity = units;
    expect(payloadRefusal(reverbAdapter, envelope).path).toBe("order.quantity");
  });

  it("quantity MAX_UNITS is accepted and decided", () => {
    const order = { ...JSON.parse(fixture("order-cancelled-two-units")), quantity: MAX_UNITS };
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS, rule: "smart.no_reason" });
    const envelope = JSON.parse(fixture("refund-approved-sold-elsewhere"));
    envelope.order.quantity = MAX_UNITS;
    expect(evaluate(envelope).cancellations[0]?.decisions[0]).toMatchObject({ quantity: MAX_UNITS, restore: false });
  });
});

describe("reverb: ids, SKUs and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  const engine = createEngine({ adapters: [reverbAdapter] });
  // JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would.
  const evaluate = (payload: unknown) => engine.evaluate({ marketplace: "reverb", mode: "smart", payload: JSON.stringify(payload) });
  const expectRefusedAt = (payload: unknown, path: string) =>
    payloadRefusal(reverbAdapter, payload, { path, message: /must be well-formed text without NUL characters/ });
  const cancelledOrder = () => JSON.parse(fixture("order-cancelled-two-units"));
  const refund = () => JSON.parse(fixture("refund-approved-sold-elsewhere"));

  it.each(["LONE\udc80", "PEDAL\u0000FUZZ"])("sku %j of a cancelled order, an orders page and a refund's order", (sku) => {
    const order = { ...cancelledOrder(), sku };
    expect(JSON.stringify(order)).toMatch(/\\u(dc80|0000)/);
    expectRefusedAt(order, "sku");
    expectRefusedAt({ orders: [order] }, "orders[0].sku");
    const envelope = refund();
    envelope.order.sku = sku;
    expectRefusedAt(envelope, "order.sku");
  });

  it.each(["100200302\u0000", "\udc80100200302"])("order_number %j, and a product_id like it", (id) => {
    expectRefusedAt({ ...cancelledOrder(), order_number: id }, "order_number");
    expectRefusedAt({ ...cancelledOrder(), product_id: id }, "product_id");
    const envelope = refund();
    envelope.order.order_number = id;
    expectRefusedAt(envelope, "order.order_number");
  });

  it.each(["7707\u0000", "sold_elsewhere\udc80", "\ud800"])("refund_request id or reason %j", (text) => {
    const withId = refund();
    withId.refund_request.id = text;
    expectRefusedAt(withId, "refund_request.id");
    const withReason = refund();
    withReason.refund_request.reason = text;
    expectRefusedAt(withReason, "refund_request.reason");
  });

  it("a SKU with a surrogate pair (an emoji), escaped or not, is accepted", () => {
    const order = { ...cancelledOrder(), sku: "PEDAL-\u{1F3B8}" };
    expect(evaluate(order).cancellations[0]?.decisions[0]).toMatchObject({ sku: "PEDAL-\u{1F3B8}", quantity: 2 });
    const escaped = JSON.stringify(order).replace("\u{1F3B8}", "\\ud83c\\udfb8");
    expect(escaped).toContain("\\ud83c\\udfb8");
    const result = engine.evaluate({ marketplace: "reverb", mode: "smart", payload: escaped });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "PEDAL-\u{1F3B8}" });
  });
});

describe("reverb: refund request states named like Object.prototype members are unknown states", () => {
  const engine = createEngine({ adapters: [reverbAdapter] });
  const withState = (state: string) => {
    const envelope = JSON.parse(fixture("refund-pending-seller-response"));
    envelope.refund_request.state = state;
    return JSON.stringify(envelope);
  };
  const unknown = (state: string) => ({
    cancellations: [],
    ignored: [{ kind: state, reason: "not_a_cancellation", orderId: "100200317", detail: `unknown refund request state ${state}` }],
  });

  // The state is matched in lower case, so these are the names that reach Object.prototype.
  it.each(["constructor", "__proto__", "Constructor", "__PROTO__"])("%s", (state) => {
    expect(reverbAdapter.parse(withState("on_hold"))).toEqual(unknown("on_hold"));
    expect(reverbAdapter.parse(withState(state))).toEqual(unknown(state));
    expect(engine.evaluate({ marketplace: "reverb", mode: "smart", payload: withState(state) }).ignored).toEqual(unknown(state).ignored);
  });
});

describe("reverb: decisions through the engine", () => {
  const engine = createEngine({ adapters: [reverbAdapter] });
  const decisions = (name: string) =>
    engine.evaluate({ marketplace: "reverb", mode: "smart", payload: fixture(name) }).cancellations[0]?.decisions;

  it("sold_elsewhere withholds", () => {
    expect(decisions("refund-approved-sold-elsewhere")).toEqual([
      expect.objectContaining({
        sku: "GTR-LP-STD",
        quantity: 1,
        restore: false,
        rule: "smart.do_not_restore",
        reasonCode: "sold_elsewhere",
        reasonLabel: "Sold Elsewhere",
        reasonOrigin: "spec",
      }),
    ]);
  });

  it("buyer_return restores; shipping_damage withholds; always mode restores anyway", () => {
    expect(decisions("refund-approved-buyer-return")?.[0]).toMatchObject({ restore: true, rule: "smart.restore" });
    expect(decisions("refund-approved-shipping-damage")?.[0]).toMatchObject({ restore: false, rule: "smart.do_not_restore" });
    const always = engine.evaluate({ marketplace: "reverb", mode: "always", payload: fixture("refund-approved-shipping-damage") });
    expect(always.cancellations[0]?.decisions[0]).toMatchObject({ restore: true, rule: "always" });
  });

  it("a cancelled order restores by smart.no_reason; an unknown reason by smart.unknown_reason", () => {
    expect(decisions("order-cancelled-unpaid-no-reason")?.[0]).toMatchObject({ restore: true, rule: "smart.no_reason" });
    expect(decisions("refund-approved-unknown-reason")?.[0]).toMatchObject({ restore: true, rule: "smart.unknown_reason" });
  });
});

describe("reverb: secret webhook URL", () => {
  it("accepts the ?token= Reverb's docs recommend, or the x-restock-token header", () => {
    const verify = reverbAdapter.verifyWebhook;
    expect(reverbAdapter.capabilities.webhookAuth).toBe("shared-secret");
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/reverb/int-42?token=s3cret" }, "s3cret")).toBe(true);
    expect(verify({ headers: { "x-restock-token": "s3cret" }, rawBody: "{}" }, "s3cret")).toBe(true);
    expect(verify({ headers: {}, rawBody: "{}", url: "/hooks/reverb/int-42" }, "s3cret")).toBe(false);
  });
});
