import type { Cancellation, IgnoredEvent } from "@restock/core";
import { isoInstant } from "./iso-instant.js";
import { wishReason } from "./reasons.js";

/** A refund as both API versions describe it. */
export interface WishRefund {
  amount: number | undefined;
  reason: string | undefined;
  time: string | undefined;
}

/** The parts of a v2 or v3 order the decision needs; both schemas transform into this. */
export interface WishOrder {
  orderId: string;
  state: string;
  sku: string;
  quantity: number;
  /** What the buyer paid: v2 `order_total`, v3 `payment_total.amount`. */
  total: number | undefined;
  refunds: WishRefund[];
  /** An order-level reason (v2's legacy `refunded_reason`, v3 `refund_reason`/`cancel_reason`). */
  orderReason: string | undefined;
  updatedAt: string | undefined;
}

export type WishOrderResult = { cancellation: Cancellation } | { ignored: IgnoredEvent };

const CANCELLED_STATES = new Set(["REFUNDED", "CANCELLED", "CANCELED"]);

// Amounts are compared in cents so that 9.1 + 8.9 covers 18.0.
const cents = (amount: number) => Math.round(amount * 100);
const money = (amountCents: number) => (amountCents / 100).toFixed(2);

/**
 * A Wish order is one SKU, and refunds carry an amount but no quantity: refunds adding up to the
 * order total cancel the whole quantity; less is a money-only partial refund and moves nothing.
 * When no refund amount or no total is known, the state decides (REFUNDED / CANCELLED).
 */
export function evaluateWishOrder(order: WishOrder): WishOrderResult {
  const { orderId, state } = order;
  const refunded = order.refunds.reduce((sum, refund) => sum + (refund.amount === undefined ? 0 : cents(refund.amount)), 0);
  const total = order.total === undefined ? undefined : cents(order.total);

  if (refunded > 0 && total !== undefined && refunded < total) {
    const detail = `refunds total ${money(refunded)} of the order total ${money(total)}: money only, no units cancelled`;
    return { ignored: { kind: state, reason: "partial_refund", orderId, detail } };
  }
  const coversTotal = refunded > 0 && total !== undefined;
  if (!coversTotal && !CANCELLED_STATES.has(state.toUpperCase())) {
    if (refunded > 0) {
      const detail = `a refund of ${money(refunded)} on a ${state} order whose total is not in the payload: money only`;
      return { ignored: { kind: state, reason: "partial_refund", orderId, detail } };
    }
    return { ignored: { kind: state, reason: "not_a_cancellation", orderId, detail: `order state ${state} is not refunded or cancelled` } };
  }

  // The refund that completed the order is the latest one; its reason wins over an order-level one.
  const latest = latestFirst(order.refunds);
  const lastReason = latest.find((refund) => refund.reason !== undefined)?.reason;
  const lastTime = latest.find((refund) => isoInstant(refund.time) !== null)?.time;
  return {
    cancellation: {
      marketplace: "wish",
      orderId,
      occurredAt: isoInstant(lastTime ?? order.updatedAt),
      lines: [
        {
          // One order is one SKU, in v2 and v3 alike, so the SKU identifies the line.
          lineId: order.sku,
          sku: order.sku,
          quantity: order.quantity,
          orderedQuantity: order.quantity,
          reason: wishReason(lastReason ?? order.orderReason),
        },
      ],
    },
  };
}

/**
 * Refunds latest first, by `refund_time`: nothing documents the array's order, and taken by position
 * a newest-first array gave the older refund's reason (the same refunds, opposite decisions). A
 * refund without a usable time counts as older than any with one; equal times go by position.
 */
function latestFirst(refunds: readonly WishRefund[]): WishRefund[] {
  const at = (refund: WishRefund) => {
    const instant = isoInstant(refund.time);
    return instant === null ? Number.NEGATIVE_INFINITY : Date.parse(instant);
  };
  return refunds
    .map((refund, index) => ({ refund, index, time: at(refund) }))
    .sort((a, b) => b.time - a.time || b.index - a.index)
    .map(({ refund }) => refund);
}
