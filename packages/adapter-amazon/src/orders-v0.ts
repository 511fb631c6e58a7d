import { parsePayload } from "@restock/core";
import { Count, Id, Sku, uniqueIds, z } from "@restock/core/fields";
import { buyerCanceled, cancellationOf, type OrderOutcome, unshippedLine } from "./result.js";

const OrderItem = z
  .object({
    OrderItemId: Id,
    SellerSKU: Sku,
    QuantityOrdered: Count,
    QuantityShipped: Count.optional(),
    // A string in Orders v0, unlike the boolean of ORDER_CHANGE.
    BuyerRequestedCancel: z.object({ IsBuyerRequestedCancel: z.enum(["true", "false"]).optional() }).optional(),
  })
  .refine((item) => (item.QuantityShipped ?? 0) <= item.QuantityOrdered, {
    path: ["QuantityShipped"],
    message: "is above QuantityOrdered",
  });

/**
 * This adapter's envelope for Orders API v0: the host's `getOrder` and `getOrderItems` responses
 * side by side, `{ "order": <getOrder>, "orderItems": <getOrderItems> }` (the status is on the
 * order, the SKUs and quantities on the items).
 */
const OrdersV0Envelope = z.compile(
  z
    .object({
      order: z.object({
        payload: z.object({
          AmazonOrderId: Id,
          OrderStatus: z.string().min(1).max(64),
          FulfillmentChannel: z.string().max(16).optional(),
        }),
      }),
      orderItems: z.object({
        payload: z.object({
          AmazonOrderId: Id,
          OrderItems: z.array(OrderItem).superRefine(uniqueIds((item) => item.OrderItemId, "OrderItemId")),
        }),
      }),
    })
    .refine((envelope) => envelope.order.payload.AmazonOrderId === envelope.orderItems.payload.AmazonOrderId, {
      path: ["orderItems", "payload", "AmazonOrderId"],
      message: "is not the AmazonOrderId of order.payload: the two responses must be for the same order",
    }),
);

const isBuyerRequested = (item: z.infer<typeof OrderItem>) => item.BuyerRequestedCancel?.IsBuyerRequestedCancel === "true";

/** A `Canceled` order cancels each item's unshipped units; a buyer's flag on an open order is only a request. */
export function readOrdersV0(document: unknown): OrderOutcome[] {
  const { order, orderItems } = parsePayload(OrdersV0Envelope, document);
  const { AmazonOrderId: orderId, OrderStatus: status } = order.payload;
  const items = orderItems.payload.OrderItems;
  if (order.payload.FulfillmentChannel === "AFN") {
    return [
      { kind: status, reason: "fulfilled_by_marketplace", orderId, detail: "AFN (FBA) order: the inventory is Amazon's, not the seller's" },
    ];
  }
  if (status !== "Canceled") {
    return items.some(isBuyerRequested)
      ? [
          {
            kind: "BuyerRequestedCancel",
            reason: "cancel_requested",
            orderId,
            detail: `the buyer asked to cancel; OrderStatus is ${status}`,
          },
        ]
      : [{ kind: status, reason: "not_a_cancellation", orderId, detail: `OrderStatus ${status}` }];
  }
  const lines = items.map((item) =>
    unshippedLine(
      item.OrderItemId,
      item.SellerSKU,
      item.QuantityOrdered,
      item.QuantityShipped ?? 0,
      isBuyerRequested(item) ? buyerCanceled() : null,
    ),
  );
  return [
    cancellationOf({ orderId, occurredAt: null }, lines, {
      kind: status,
      reason: "not_a_cancellation",
      orderId,
      detail: "Canceled, but every unit had shipped",
    }),
  ];
}
