import { json } from "./options.js";

/**
 * Example payloads in the stub schema's shape, named after their scenario. Replace them with
 * payloads recorded from the marketplace (ids and personal data scrubbed); `malformed-*` ones
 * must be rejected with a PayloadError.
 *
 * The cancelled line's ordered and cancelled quantities differ, and each valid payload comes with
 * its `.expected.json` (the stub parse's exact result), which the kit compares the parse with: a
 * parse reading the quantity from the wrong field, or turning the open order into a cancellation,
 * fails from the first run.
 */
export function fixtureFiles(id: string): Record<string, string> {
  const line = { lineId: "1", sku: "MUG-BLUE-12OZ", orderedQuantity: 3, cancelledQuantity: 2 };
  const cancelled = {
    orderId: "EX-1001",
    status: "cancelled",
    reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
    occurredAt: "2025-03-04T12:40:25Z",
    lines: [line, { lineId: "2", sku: "COASTER-SET-4", orderedQuantity: 1, cancelledQuantity: 0 }],
  };
  const open = { orderId: "EX-1002", status: "open", reasonCode: null, occurredAt: null, lines: [{ ...line, cancelledQuantity: 0 }] };
  return {
    "__fixtures__/cancelled-customer-request.json": json(cancelled),
    "__fixtures__/cancelled-customer-request.expected.json": json(cancelledExpected(id, cancelled.occurredAt)),
    "__fixtures__/open-order-not-cancelled.json": json(open),
    "__fixtures__/open-order-not-cancelled.expected.json": json(openExpected(open.orderId, open.status)),
    "__fixtures__/malformed-missing-order-id.json": json({ status: "cancelled", reasonCode: "EXAMPLE_CUSTOMER_CANCEL", lines: [line] }),
    "__fixtures__/malformed-quantity-negative.json": json({
      orderId: "EX-1003",
      status: "cancelled",
      reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
      lines: [{ ...line, cancelledQuantity: -2 }],
    }),
    "__fixtures__/malformed-cancelled-above-ordered.json": json({
      orderId: "EX-1004",
      status: "cancelled",
      reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
      lines: [{ ...line, cancelledQuantity: 4 }],
    }),
  };
}

/**
 * What the generated parse gives for cancelled-customer-request.json, written out by hand: line 1
 * with its 2 cancelled units (of 3 ordered); line 2, with none cancelled, left out.
 */
function cancelledExpected(id: string, occurredAt: string) {
  return {
    cancellations: [
      {
        marketplace: id,
        orderId: "EX-1001",
        occurredAt,
        lines: [{ lineId: "1", sku: "MUG-BLUE-12OZ", quantity: 2, orderedQuantity: 3, reason: { code: "EXAMPLE_CUSTOMER_CANCEL" } }],
      },
    ],
    ignored: [],
  };
}

/** What the generated parse gives for open-order-not-cancelled.json: no cancellation, one ignored event. */
function openExpected(orderId: string, status: string) {
  return { cancellations: [], ignored: [{ kind: status, reason: "not_a_cancellation", orderId }] };
}
