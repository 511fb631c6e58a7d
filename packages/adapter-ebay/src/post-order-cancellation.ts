import { type IgnoreReason, PayloadError, parsePayload } from "@restock/core";
import { Id, ReasonText, Timestamp, z } from "@restock/core/fields";
import { cancelledLineItems, LineItems } from "./line-items.js";
import { cancellationOf, type OrderOutcome, reasonOf } from "./result.js";

/** Post-Order dates are `{ "value": "<ISO>" }`; a bare ISO string is taken as well. */
const PostOrderDate = z.preprocess(
  (value) => (typeof value === "object" && value !== null && "value" in value ? (value as { value: unknown }).value : value),
  Timestamp,
);

/**
 * This adapter's envelope for a Post-Order cancellation: `GET /post-order/v2/cancellation/{cancelId}`
 * as `cancelDetail`, and beside it the order's Fulfillment `orderId` and `lineItems` (the
 * cancellation covers the whole order but lists no lines: the host joins them from getOrder).
 * The order is keyed on the Fulfillment `orderId`, as the Fulfillment payloads are: Post-Order's
 * `legacyOrderId` may differ from it (eBay changes it as an order goes from unpaid to paid), and the
 * same cancellation polled from both APIs under two order ids would restore its lines twice.
 */
const PostOrderCancellation = z.compile(
  z.object({
    cancelDetail: z.object({
      cancelId: Id,
      legacyOrderId: Id,
      cancelStatus: z.string().min(1).max(64),
      cancelReason: ReasonText.optional(),
      cancelCloseDate: PostOrderDate.optional(),
    }),
    orderId: Id.optional(),
    lineItems: LineItems.optional(),
  }),
);

const IGNORED = new Map<string, IgnoreReason>([
  ["CANCEL_REQUESTED", "cancel_requested"],
  ["CANCEL_PENDING", "cancel_pending"],
  ["CANCEL_REJECTED", "cancel_rejected"],
]);

/** `CANCEL_CLOSED_*` cancels every line; `CANCEL_CLOSED_FOR_COMMITMENT` without a reason is an unpaid order. */
export function readPostOrderCancellation(document: unknown): OrderOutcome[] {
  const { cancelDetail, lineItems, orderId: fulfillmentOrderId } = parsePayload(PostOrderCancellation, document);
  const { cancelStatus } = cancelDetail;
  if (!cancelStatus.startsWith("CANCEL_CLOSED")) {
    const reason = IGNORED.get(cancelStatus) ?? "not_a_cancellation";
    const orderId = fulfillmentOrderId ?? cancelDetail.legacyOrderId;
    return [{ kind: cancelStatus, reason, orderId, detail: `cancelId ${cancelDetail.cancelId}` }];
  }
  if (!lineItems) {
    throw new PayloadError(
      "is required for a completed cancellation: the Post-Order cancellation lists no lines, join the order's lineItems from the Fulfillment getOrder",
      "lineItems",
    );
  }
  if (fulfillmentOrderId === undefined) {
    throw new PayloadError(
      "is required for a completed cancellation: the Fulfillment getOrder's orderId, which the order's lines are kept under (legacyOrderId may differ from it)",
      "orderId",
    );
  }
  const orderId = fulfillmentOrderId;
  const unpaid = cancelStatus === "CANCEL_CLOSED_FOR_COMMITMENT";
  const reason = reasonOf(cancelDetail.cancelReason) ?? (unpaid ? { code: "ORDER_UNPAID", derived: true } : null);
  const facts = { orderId, cancellationId: cancelDetail.cancelId, occurredAt: cancelDetail.cancelCloseDate ?? null };
  return [
    cancellationOf(facts, cancelledLineItems(lineItems, reason), {
      kind: cancelStatus,
      reason: "not_a_cancellation",
      orderId,
      detail: "every line had shipped",
    }),
  ];
}
