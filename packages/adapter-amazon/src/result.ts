import type { Cancellation, CancelledLine, IgnoredEvent, Reason } from "@restock/core";

/** The adapter id, which is also the `marketplace` of every cancellation it produces. */
export const MARKETPLACE = "amazon";

/** What one order (or one feed message) comes to. */
export type OrderOutcome = Cancellation | IgnoredEvent;

/** Read-side payloads carry no seller code: a buyer's cancel flag is read as BuyerCanceled (rule book §4). */
export function buyerCanceled(): Reason {
  return { code: "BuyerCanceled", derived: true };
}

/**
 * A cancelled line with its cumulative cancelled units: ordered minus shipped (shipped units are
 * not cancelled). `undefined` when nothing is left to cancel, so the line is left out.
 */
export function unshippedLine(
  lineId: string,
  sku: string,
  ordered: number,
  shipped: number,
  reason: Reason | null,
): CancelledLine | undefined {
  const quantity = ordered - shipped;
  return quantity > 0 ? { lineId, sku, quantity, orderedQuantity: ordered, reason } : undefined;
}

interface OrderFacts {
  orderId: string;
  cancellationId?: string | undefined;
  occurredAt: string | null;
}

/** The order's cancellation, or `nothingCancelled` when no line has a cancelled unit. */
export function cancellationOf(
  order: OrderFacts,
  lines: readonly (CancelledLine | undefined)[],
  nothingCancelled: IgnoredEvent,
): OrderOutcome {
  const cancelled = lines.filter((line) => line !== undefined);
  if (cancelled.length === 0) return nothingCancelled;
  return {
    marketplace: MARKETPLACE,
    orderId: order.orderId,
    ...(order.cancellationId === undefined ? {} : { cancellationId: order.cancellationId }),
    occurredAt: order.occurredAt,
    lines: cancelled,
  };
}
