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
 * as `cancelDetail`, and beside it the order's Fulfillment `lineItems` (the cancellation covers
 * the whole order but lists no lines: the host joins them from getOrder).
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
  const { cancelDetail, lineItems } = parsePayload(PostOrderCancellation, document);
  const { legacyOrderId: orderId, cancelStatus } = cancelDetail;
  if (!cancelStatus.startsWith("CANCEL_CLOSED")) {
    const reason = IGNORED.get(cancelStatus) ?? "not_a_cancellation";
    return [{ kind: cancelStatus, reason, orderId, detail: `cancelId ${cancelDetail.cancelId}` }];
  }
  if (!lineItems) {
    throw new PayloadError(
      "is required for a completed cancellation: the Post-Order cancellation lists no lines, join the order's lineItems from the Fulfillment getOrder",
      "lineItems",
    );
  }
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
