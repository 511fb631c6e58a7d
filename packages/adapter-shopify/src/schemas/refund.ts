import { z } from "@restock/core/fields";
import { globalId, IsoTime, NumericId, OrderedQuantity, Sku, UnitCount } from "./fields.js";

const RefundLineItem = z.object({
  line_item_id: NumericId,
  quantity: UnitCount,
  /** `cancel`, `no_restock`, `return`, `legacy_restock` (null on very old refunds). */
  restock_type: z.string().nullish(),
  line_item: z
    .object({
      sku: Sku,
      quantity: OrderedQuantity,
      current_quantity: UnitCount.optional(),
      /** Units still to ship: `quantity` less units fulfilled and units removed (refunded or edited away). */
      fulfillable_quantity: UnitCount.optional(),
      /** null: no unit of the line fulfilled; `partial`, `fulfilled`; absent in trimmed payloads. */
      fulfillment_status: z.string().max(64).nullable().optional(),
    })
    .optional(),
});

/**
 * The `refunds/create` webhook body: the REST Refund resource (the fields this adapter reads).
 * Compiled with `z.compile`: a valid body is checked by one generated function (about a quarter of
 * the runtime parser's cost on this hot path); an invalid one falls back to the runtime parser,
 * so the PayloadError names the same field with the same message.
 */
export const Refund = z.compile(
  z.object({
    id: NumericId.optional(),
    admin_graphql_api_id: globalId("Refund").optional(),
    order_id: NumericId,
    created_at: IsoTime.nullish(),
    refund_line_items: z.array(RefundLineItem),
  }),
);
export type Refund = z.infer<typeof Refund>;
