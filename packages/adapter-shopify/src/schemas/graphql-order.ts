import { z } from "@restock/core/fields";
import { globalId, IsoTime, OrderedQuantity, ReasonCode, Sku, UnitCount } from "./fields.js";

/** A GraphQL connection read either as `nodes` or as `edges[].node`, whichever the query asked for. */
function connection<T extends z.ZodType>(node: T) {
  const edge = z.object({ node });
  return z
    .object({ nodes: z.array(node).optional(), edges: z.array(edge).optional() })
    .refine((page) => page.nodes !== undefined || page.edges !== undefined, "needs nodes or edges")
    .transform((page): z.output<T>[] => page.nodes ?? page.edges!.map((item) => (item as { node: z.output<T> }).node));
}

const LineItem = z.object({
  id: globalId("LineItem"),
  sku: Sku,
  quantity: OrderedQuantity,
  currentQuantity: UnitCount.nullish(),
});

const Fulfillment = z.object({
  status: z.string().nullish(),
  fulfillmentLineItems: connection(z.object({ lineItem: z.object({ id: globalId("LineItem") }), quantity: UnitCount })),
});

/**
 * The Admin GraphQL `Order` (the fields this adapter reads).
 * Compiled with `z.compile`: a valid body is checked by one generated function (about a quarter of
 * the runtime parser's cost on this hot path); an invalid one falls back to the runtime parser,
 * so the PayloadError names the same field with the same message.
 */
export const GraphqlOrder = z.compile(
  z.object({
    id: globalId("Order"),
    cancelledAt: IsoTime.nullish(),
    cancelReason: ReasonCode,
    // A note is kept for the record, never a reason to reject the order: long ones are cut.
    cancellation: z.object({ staffNote: z.string().nullish() }).nullish(),
    lineItems: connection(LineItem),
    fulfillments: z.array(Fulfillment).optional(),
  }),
);
export type GraphqlOrder = z.infer<typeof GraphqlOrder>;
