import type { Cancellation, CancelledLine, IgnoredEvent, Reason } from "@restock/core";

/** The adapter id, which is also the `marketplace` of every cancellation it produces. */
export const MARKETPLACE = "ebay";

/** What one order (or one cancellation record) comes to. */
export type OrderOutcome = Cancellation | IgnoredEvent;

/** A free-text or coded reason as eBay sent it; the table's normalized-key lookup classifies it. */
export function reasonOf(text: string | undefined): Reason | null {
  const code = text?.trim();
  return code ? { code } : null;
}

/**
 * eBay cancels whole orders: a line is cancelled at its full quantity, unless it shows it has
 * shipped (shipped units are not cancelled). `undefined` leaves the line out.
 */
export function wholeLine(
  lineId: string,
  sku: string,
  quantity: number,
  shipped: boolean,
  reason: Reason | null,
): CancelledLine | undefined {
  return quantity > 0 && !shipped ? { lineId, sku, quantity, orderedQuantity: quantity, reason } : undefined;
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
