import { z } from "@restock/core/fields";
import { globalId, IsoTime, NumericId, OrderedQuantity, ReasonCode, Sku, UnitCount } from "./fields.js";

const LineItem = z.object({
  id: NumericId.optional(),
  admin_graphql_api_id: globalId("LineItem").optional(),
  sku: Sku,
  quantity: OrderedQuantity,
  current_quantity: UnitCount.optional(),
  fulfillment_status: z.string().nullish(),
});

/** A fulfillment's line items are the order's line items with the quantity this fulfillment shipped. */
const Fulfillment = z.object({
  status: z.string().nullish(),
  line_items: z.array(
    z.object({
      id: NumericId.optional(),
      admin_graphql_api_id: globalId("LineItem").optional(),
      quantity: UnitCount,
    }),
  ),
});

/**
 * The REST Order resource: the `orders/cancelled` webhook body (the fields this adapter reads).
 * Compiled with `z.compile`: a valid body is checked by one generated function (about a quarter of
 * the runtime parser's cost on this hot path); an invalid one falls back to the runtime parser,
 * so the PayloadError names the same field with the same message.
 */
export const RestOrder = z.compile(
  z.object({
    id: NumericId.optional(),
    admin_graphql_api_id: globalId("Order").optional(),
    cancelled_at: IsoTime.nullish(),
    cancel_reason: ReasonCode,
    fulfillment_status: z.string().nullish(),
    line_items: z.array(LineItem),
    fulfillments: z.array(Fulfillment).optional(),
  }),
);
export type RestOrder = z.infer<typeof RestOrder>;
