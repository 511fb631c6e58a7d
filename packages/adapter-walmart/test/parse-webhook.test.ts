import { describe, expect, it } from "vitest";
import { walmartAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const parse = (name: string) => walmartAdapter.parse(fixture(name));

describe("Walmart ORDER_UPDATES webhook", () => {
  it("turns FRAUD_CANCEL into a cancellation whose reason is the sub-event", () => {
    expect(parse("order-updates-fraud-cancel")).toEqual({
      cancellations: [
        {
          marketplace: "walmart",
          orderId: "1796277083023",
          cancellationId: "4c3b2a19-0817-4f6e-9d5c-3b2a1908f7e6",
          occurredAt: "2025-03-04T16:10:41.002Z",
          lines: [{ lineId: "1", sku: "MUG-BLUE-12OZ", quantity: 1, reason: { code: "FRAUD_CANCEL", derived: true } }],
        },
      ],
      ignored: [],
    });
  });

  it("gives a redelivered event the same result, event id included", () => {
    expect(parse("order-updates-fraud-cancel-redelivered")).toEqual(parse("order-updates-fraud-cancel"));
  });

  it("cancels only the CANCELLED lines of PO_LINE_AUTOCANCELLED", () => {
    const [cancellation] = parse("order-updates-po-line-autocancelled").cancellations;
    expect(cancellation).toMatchObject({ orderId: "1796277083501", cancellationId: "7d0e4f5a-6b7c-4d8e-9f01-2a3b4c5d6e7f" });
    expect(cancellation?.lines).toEqual([
      { lineId: "2", sku: "COASTER-SET-4", quantity: 2, reason: { code: "PO_LINE_AUTOCANCELLED", derived: true } },
    ]);
  });

  it("prefers the line's own cancellationReason over the sub-event", () => {
    const [cancellation] = parse("order-updates-po-line-autocancelled-with-reason").cancellations;
    expect(cancellation?.lines).toEqual([
      { lineId: "1", sku: "LAMP-DESK-BRASS", quantity: 1, reason: { code: "SELLER_CANCEL_OUT_OF_STOCK" } },
    ]);
  });

  it.each([
    ["order-updates-intent-to-cancel", "INTENT_TO_CANCEL", "cancel_requested", "1796277083503"],
    ["order-updates-po-created", "PO_CREATED", "not_a_cancellation", "1796277083504"],
    ["order-updates-unknown-sub-event", "PO_LINE_DELIVERY_PROMISE_UPDATED", "not_a_cancellation", "1796277083505"],
  ])("ignores %s", (name, kind, reason, orderId) => {
    const result = parse(name);
    expect(result.cancellations).toEqual([]);
    expect(result.ignored).toHaveLength(1);
    expect(result.ignored[0]).toMatchObject({ kind, reason, orderId });
  });

  it("ignores a cancelling sub-event whose lines are not cancelled", () => {
    const event = JSON.parse(fixture("order-updates-fraud-cancel"));
    event.payload.order.orderLines[0].status = "ACKNOWLEDGED";
    expect(walmartAdapter.parse(event).ignored).toEqual([
      { kind: "FRAUD_CANCEL", reason: "not_a_cancellation", orderId: "1796277083023", detail: "no order line has status CANCELLED" },
    ]);
  });
});

describe("Walmart legacy webhooks", () => {
  it("turns PO_LINE_AUTOCANCELLED into a cancellation of the flat payload's lines", () => {
    expect(parse("legacy-po-line-autocancelled")).toEqual({
      cancellations: [
        {
          marketplace: "walmart",
          orderId: "1796277083022",
          cancellationId: "9a1d6f3e-2b4c-4d5e-8f70-1a2b3c4d5e6f",
          occurredAt: "2025-03-14T06:00:12.345Z",
          lines: [{ lineId: "2", sku: "COASTER-SET-4", quantity: 2, reason: { code: "PO_LINE_AUTOCANCELLED", derived: true } }],
        },
      ],
      ignored: [],
    });
    expect(parse("legacy-po-line-autocancelled-redelivered")).toEqual(parse("legacy-po-line-autocancelled"));
  });

  it("ignores INTENT_TO_CANCEL as a cancel request", () => {
    expect(parse("legacy-intent-to-cancel")).toEqual({
      cancellations: [],
      ignored: [
        {
          kind: "INTENT_TO_CANCEL",
          reason: "cancel_requested",
          orderId: "1796277083022",
          detail: "the customer asked to cancel; the order is not cancelled yet",
        },
      ],
    });
  });
});
