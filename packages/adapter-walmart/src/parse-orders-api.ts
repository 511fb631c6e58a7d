import { type Cancellation, formatPath, type IgnoredEvent, PayloadError } from "@restock/core";
import { type CancelledSlice, reasonFrom, tallyCancelledLines } from "./cancelled-lines.js";
import type { Order } from "./schemas/orders-api.js";

// The Orders API writes `Cancelled`; other Walmart surfaces use `CANCELLED` or `Canceled`.
const CANCELLED = new Set(["cancelled", "canceled"]);

export function isCancelledStatus(status: string): boolean {
  return CANCELLED.has(status.toLowerCase());
}

/**
 * One Orders API purchase order → a cancellation of the lines that have `Cancelled` status
 * entries, or an ignored event when none has. Other statuses (`Acknowledged`, `Shipped`...) are
 * units that were not cancelled, so shipped units never count.
 */
export function fromOrder(order: Order, path: readonly (string | number)[]): Cancellation | IgnoredEvent {
  const slices: CancelledSlice[] = [];
  const seen = new Set<string>();
  order.orderLines.orderLine.forEach((line, index) => {
    if (seen.has(line.lineNumber)) {
      throw new PayloadError(
        `lineNumber "${line.lineNumber}" appears twice in the order`,
        formatPath([...path, "orderLines", "orderLine", index, "lineNumber"]),
      );
    }
    seen.add(line.lineNumber);
    for (const entry of line.orderLineStatuses.orderLineStatus) {
      if (!isCancelledStatus(entry.status)) continue;
      slices.push({
        lineId: line.lineNumber,
        sku: line.item.sku,
        orderedQuantity: line.orderLineQuantity.amount,
        units: entry.statusQuantity.amount,
        reason: reasonFrom(entry.cancellationReason),
      });
    }
  });

  const { lines, mixedReasons } = tallyCancelledLines(slices);
  if (lines.length === 0) {
    return { kind: "order", reason: "not_a_cancellation", orderId: order.purchaseOrderId, detail: "no order line has a Cancelled status" };
  }
  return {
    marketplace: "walmart",
    orderId: order.purchaseOrderId,
    // The Orders API dates a line's latest status, not the cancellation itself.
    occurredAt: null,
    lines,
    ...(mixedReasons.length > 0 ? { note: mixedReasons.join("; ").slice(0, 4096) } : {}),
  };
}
