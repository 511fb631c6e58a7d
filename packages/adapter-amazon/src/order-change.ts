import { parsePayload } from "@restock/core";
import { Count, Id, Sku, Timestamp, uniqueIds, z } from "@restock/core/fields";
import { buyerCanceled, cancellationOf, type OrderOutcome, unshippedLine } from "./result.js";

const OrderItem = z
  .object({
    OrderItemId: Id,
    SellerSKU: Sku,
    Quantity: Count,
    QuantityShipped: Count.optional(),
    OrderItemStatus: z.string().max(64).optional(),
    IsBuyerRequestedCancel: z.boolean().optional(),
  })
  .refine((item) => (item.QuantityShipped ?? 0) <= item.Quantity, { path: ["QuantityShipped"], message: "is above Quantity" });

/** The SP-API `ORDER_CHANGE` notification (the SQS message body), the fields this adapter reads. */
const OrderChangeNotification = z.compile(
  z.object({
    NotificationType: z.literal("ORDER_CHANGE").optional(),
    Payload: z.object({
      OrderChangeNotification: z.object({
        AmazonOrderId: Id,
        OrderChangeType: z.enum(["OrderStatusChange", "BuyerRequestedChange"]),
        OrderChangeTrigger: z.object({ TimeOfOrderChange: Timestamp.optional() }).optional(),
        Summary: z.object({
          OrderStatus: z.string().min(1).max(64),
          FulfillmentType: z.string().max(16).optional(),
          OrderItems: z.array(OrderItem).superRefine(uniqueIds((item) => item.OrderItemId, "OrderItemId")),
        }),
      }),
    }),
    NotificationMetadata: z.object({ NotificationId: Id }).optional(),
  }),
);

/**
 * Units that left the warehouse. Both fields are optional: an item `Shipped` without
 * `QuantityShipped` is taken as wholly shipped (its count is unknown, and restoring shipped units
 * would oversell), one without either as unshipped.
 */
function shippedUnits(item: z.infer<typeof OrderItem>): number {
  return item.QuantityShipped ?? (item.OrderItemStatus === "Shipped" ? item.Quantity : 0);
}

/**
 * Only an `OrderStatusChange` to `Canceled` cancels: each item's unshipped units, BuyerCanceled
 * (derived) where the buyer had asked. A `BuyerRequestedChange` is still a request.
 */
export function readOrderChange(document: unknown): OrderOutcome[] {
  const notification = parsePayload(OrderChangeNotification, document);
  const change = notification.Payload.OrderChangeNotification;
  const { AmazonOrderId: orderId, OrderChangeType: kind, Summary: summary } = change;
  if (summary.FulfillmentType === "AFN") {
    return [{ kind, reason: "fulfilled_by_marketplace", orderId, detail: "AFN (FBA) order: the inventory is Amazon's, not the seller's" }];
  }
  if (kind === "BuyerRequestedChange") {
    return [{ kind, reason: "cancel_requested", orderId, detail: "the buyer asked to cancel; the order is not cancelled yet" }];
  }
  if (summary.OrderStatus !== "Canceled") {
    return [{ kind, reason: "not_a_cancellation", orderId, detail: `OrderStatus ${summary.OrderStatus}` }];
  }
  const lines = summary.OrderItems.map((item) =>
    unshippedLine(
      item.OrderItemId,
      item.SellerSKU,
      item.Quantity,
      shippedUnits(item),
      item.IsBuyerRequestedCancel ? buyerCanceled() : null,
    ),
  );
  const order = {
    orderId,
    cancellationId: notification.NotificationMetadata?.NotificationId,
    occurredAt: change.OrderChangeTrigger?.TimeOfOrderChange ?? null,
  };
  return [
    cancellationOf(order, lines, {
      kind,
      reason: "not_a_cancellation",
      orderId,
      detail: "OrderStatus Canceled, but every unit had shipped",
    }),
  ];
}
