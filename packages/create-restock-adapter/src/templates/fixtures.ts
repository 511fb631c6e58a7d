import { json } from "./options.js";

/**
 * Example payloads in the stub schema's shape, named after their scenario. Replace them with
 * payloads recorded from the marketplace (ids and personal data scrubbed); `malformed-*` ones
 * must be rejected with a PayloadError.
 */
export function fixtureFiles(): Record<string, string> {
  const line = { lineId: "1", sku: "MUG-BLUE-12OZ", orderedQuantity: 2, cancelledQuantity: 2 };
  return {
    "__fixtures__/cancelled-customer-request.json": json({
      orderId: "EX-1001",
      status: "cancelled",
      reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
      occurredAt: "2025-03-04T12:40:25Z",
      lines: [line, { lineId: "2", sku: "COASTER-SET-4", orderedQuantity: 1, cancelledQuantity: 0 }],
    }),
    "__fixtures__/open-order-not-cancelled.json": json({
      orderId: "EX-1002",
      status: "open",
      reasonCode: null,
      occurredAt: null,
      lines: [{ ...line, cancelledQuantity: 0 }],
    }),
    "__fixtures__/malformed-missing-order-id.json": json({ status: "cancelled", reasonCode: "EXAMPLE_CUSTOMER_CANCEL", lines: [line] }),
    "__fixtures__/malformed-quantity-negative.json": json({
      orderId: "EX-1003",
      status: "cancelled",
      reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
      lines: [{ ...line, cancelledQuantity: -2 }],
    }),
  };
}
