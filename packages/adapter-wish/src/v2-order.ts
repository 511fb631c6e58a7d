import { z } from "@restock/core/fields";
import { Amount, ReasonCode, State, Text, Timestamp, Units } from "./fields.js";
import type { WishOrder } from "./wish-order.js";

/** `refunds[]` on a v2 order (since 2019-08-28): amount and reason, no quantity. */
const V2Refund = z.object({
  refund_time: Timestamp,
  refund_amount: Amount.nullish(),
  refund_reason: ReasonCode,
});

/** A Merchant API v2 order (`GET /api/v2/order`, `multi-get`), the object inside `{ "Order": ... }`. */
export const V2Order = z.compile(
  z
    .object({
      order_id: Text,
      state: State,
      sku: Text,
      quantity: Units,
      order_total: Amount.nullish(),
      // The unit price: with the quantity, the total where `order_total` is missing.
      price: Amount.nullish(),
      last_updated: Timestamp,
      refunds: z.array(V2Refund).max(1000).nullish(),
      // Removed from the API on 2019-09-24; orders stored before then still carry it.
      refunded_reason: ReasonCode,
    })
    .transform(
      (order): WishOrder => ({
        orderId: order.order_id,
        state: order.state,
        sku: order.sku,
        quantity: order.quantity,
        // Without either, the state decides (a refund on an order of unknown total was taken as whole).
        total: order.order_total ?? (order.price == null ? undefined : (Math.round(order.price * 100) * order.quantity) / 100),
        refunds: (order.refunds ?? []).map((refund) => ({
          amount: refund.refund_amount ?? undefined,
          reason: refund.refund_reason,
          time: refund.refund_time ?? undefined,
        })),
        orderReason: order.refunded_reason,
        updatedAt: order.last_updated ?? undefined,
      }),
    ),
);
