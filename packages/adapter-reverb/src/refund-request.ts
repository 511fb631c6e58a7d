import type { IgnoredEvent, IgnoreReason, ParseResult } from "@restock/core";
import { formatPath, PayloadError } from "@restock/core";
import { z } from "@restock/core/fields";
import { cents, cleanText, Id, Money, money, Timestamp, Word } from "./fields.js";
import { isoInstant } from "./iso-instant.js";
import { orderLine, ReverbOrder } from "./order.js";

/**
 * Refund requests are polled (`GET /my/refund_requests/selling`; no webhook topic exists) and carry
 * no order details, so the host joins each one to its order and sends this envelope.
 */
export const RefundRequestEnvelope = z.compile(
  z.object({
    order: ReverbOrder,
    refund_request: z.object({
      id: Id.nullish(),
      state: Word,
      reason: cleanText(0, 256).nullish(),
      refund_amount: Money.nullish(),
      created_at: Timestamp,
      updated_at: Timestamp,
    }),
  }),
);
export type RefundRequestEnvelope = z.infer<typeof RefundRequestEnvelope>;

const COMPLETED = new Set(["approved", "auto_approved", "refund_sent"]);

/**
 * States that move nothing yet, or never will. A Map, not an object literal: a state such as
 * "constructor" or "__proto__" must be an unknown state, not a hit on Object.prototype.
 */
const NOT_COMPLETED = new Map<string, IgnoreReason>([
  ["pending_seller_response", "cancel_requested"],
  // Approved once the buyer returns the item: still pending.
  ["conditionally_approved", "cancel_pending"],
  ["denied", "cancel_rejected"],
  ["cancelled", "cancel_rejected"],
]);

/**
 * A completed refund request covering the order total cancels the order's listing with the
 * request's reason; a smaller one is a money-only partial refund. Other states are ignored.
 */
export function evaluateRefundRequest(envelope: RefundRequestEnvelope): ParseResult {
  const { order, refund_request: request } = envelope;
  const orderId = order.order_number;
  const state = request.state.toLowerCase();
  if (!COMPLETED.has(state)) {
    const known = NOT_COMPLETED.get(state);
    const ignored: IgnoredEvent = {
      kind: request.state,
      reason: known ?? "not_a_cancellation",
      orderId,
      detail: known ? `refund request ${request.state}: not completed` : `unknown refund request state ${request.state}`,
    };
    return { cancellations: [], ignored: [ignored] };
  }
  if (!request.refund_amount)
    throw new PayloadError("required: the amount of a completed refund", formatPath(["refund_request", "refund_amount"]));
  if (!order.total)
    throw new PayloadError("required: the order total, to tell a full refund from a partial one", formatPath(["order", "total"]));
  const refunded = cents(request.refund_amount.amount);
  const total = cents(order.total.amount);
  if (refunded < total) {
    const detail = `refund of ${money(refunded)} of the order total ${money(total)}: money only, no units cancelled`;
    return { cancellations: [], ignored: [{ kind: request.state, reason: "partial_refund", orderId, detail }] };
  }
  const reason = request.reason ? { code: request.reason } : null;
  return {
    cancellations: [
      {
        marketplace: "reverb",
        orderId,
        ...(request.id ? { cancellationId: request.id } : {}),
        occurredAt: isoInstant(request.updated_at ?? request.created_at ?? order.updated_at),
        lines: [orderLine(order, reason, ["order"])],
      },
    ],
    ignored: [],
  };
}
