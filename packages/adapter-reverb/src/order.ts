import { type Cancellation, type CancelledLine, formatPath, type IgnoredEvent, PayloadError, type Reason } from "@restock/core";
import { z } from "@restock/core/fields";
import { cleanText, Id, Money, Quantity, Timestamp, Word } from "./fields.js";
import { isoInstant } from "./iso-instant.js";

/**
 * A Reverb order (the `orders/update` webhook body, or one of `GET /my/orders/selling/all`'s
 * `orders`). One order is one listing: `sku` and `quantity` are the order's one line. They are
 * optional here and required only when the order cancels something.
 */
export const ReverbOrder = z.compile(
  z.object({
    order_number: Id,
    status: Word,
    product_id: Id.nullish(),
    sku: cleanText(1, 256).nullish(),
    quantity: Quantity.nullish(),
    total: Money.nullish(),
    updated_at: Timestamp,
  }),
);
export type ReverbOrder = z.infer<typeof ReverbOrder>;

type Path = readonly (string | number)[];

/** The order's one line, cancelled in full. `path` locates the order in the payload for errors. */
export function orderLine(order: ReverbOrder, reason: Reason | null, path: Path): CancelledLine {
  if (!order.sku) throw new PayloadError("required: the SKU of a cancelled order's listing", formatPath([...path, "sku"]));
  if (!order.quantity) throw new PayloadError("required: the quantity of a cancelled order", formatPath([...path, "quantity"]));
  return {
    // The listing's product id identifies the line; the order number stands in when it is absent.
    lineId: order.product_id ?? order.order_number,
    sku: order.sku,
    quantity: order.quantity,
    orderedQuantity: order.quantity,
    reason,
  };
}

/**
 * `status: cancelled` cancels the order's listing, with no reason (Reverb gives none for a
 * cancelled unpaid order). Every other status is not a cancellation: in particular `refunded`,
 * which is acted on through its refund request, the one place the reason is.
 */
export function evaluateOrder(order: ReverbOrder, path: Path): Cancellation | IgnoredEvent {
  const status = order.status.toLowerCase();
  if (status === "cancelled") {
    return {
      marketplace: "reverb",
      orderId: order.order_number,
      occurredAt: isoInstant(order.updated_at),
      lines: [orderLine(order, null, path)],
    };
  }
  const detail =
    status === "refunded"
      ? "a refunded order is acted on through its refund request, which carries the reason"
      : `order status ${order.status} cancels nothing`;
  return { kind: order.status, reason: "not_a_cancellation", orderId: order.order_number, detail };
}
