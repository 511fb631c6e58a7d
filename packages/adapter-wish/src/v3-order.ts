import { z } from "@restock/core/fields";
import { Amount, Money, ReasonCode, State, Text, Timestamp, Units } from "./fields.js";
import type { WishOrder } from "./wish-order.js";

/**
 * Where v3 puts a refund's reason was not found in research. This adapter accepts, in order of
 * preference: the last `refunds[].reason_code`, then the order's `refund_reason`, then `cancel_reason`.
 * `refunds[].refund_amount` may be a number, a decimal string or a `{ amount }` money object.
 */
const V3Refund = z.object({
  reason_code: ReasonCode,
  refund_amount: z.union([Amount, Money.transform((money) => money.amount)]).nullish(),
  refund_time: Timestamp,
});

/** A Merchant API v3 order (`GET /api/v3/orders/{id}` body `data`, or one element of the list). */
export const V3Order = z.compile(
  z
    .object({
      id: Text,
      state: State,
      updated_at: Timestamp,
      product_information: z.object({ sku: Text }),
      order_payment: z.object({
        general_payment_details: z.object({
          product_quantity: Units,
          payment_total: Money.nullish(),
        }),
      }),
      refunds: z.array(V3Refund).max(1000).nullish(),
      refund_reason: ReasonCode,
      cancel_reason: ReasonCode,
    })
    .transform((order): WishOrder => {
      const payment = order.order_payment.general_payment_details;
      return {
        orderId: order.id,
        state: order.state,
        sku: order.product_information.sku,
        quantity: payment.product_quantity,
        total: payment.payment_total?.amount,
        refunds: (order.refunds ?? []).map((refund) => ({
          amount: refund.refund_amount ?? undefined,
          reason: refund.reason_code,
          time: refund.refund_time ?? undefined,
        })),
        orderReason: order.refund_reason ?? order.cancel_reason,
        updatedAt: order.updated_at ?? undefined,
      };
    }),
);
