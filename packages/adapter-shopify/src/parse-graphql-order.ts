import type { ParseResult } from "@restock/core";
import { cancellationResult, ignored, reasonFrom } from "./cancellation-result.js";
import { numericTail, uniqueLineIds } from "./resolve-id.js";
import type { GraphqlOrder } from "./schemas/graphql-order.js";
import { shippedUnits } from "./shipped-units.js";

/**
 * An Admin GraphQL Order: when `cancelledAt` is set, a line's cancelled units are
 * `quantity − currentQuantity` (currentQuantity excludes removed units), never more than its units
 * not in the order's fulfillments; when the query did not ask for currentQuantity, those units.
 * A shipped unit refunded as a return also leaves currentQuantity, but shipped units are not
 * cancelled units (rule book §3): a line of 3 with 2 fulfilled, 1 of them returned, then the order
 * cancelled, has currentQuantity 1 and 1 cancelled unit, not 2.
 */
export function fromGraphqlOrder(order: GraphqlOrder, path: readonly PropertyKey[]): ParseResult {
  const orderId = numericTail(order.id);
  if (!order.cancelledAt) return ignored("order", "not_a_cancellation", orderId, "cancelledAt is not set: the order is not cancelled");
  const lineIds = order.lineItems.map((line) => numericTail(line.id));
  uniqueLineIds(lineIds, (index) => [...path, "lineItems", "nodes", index, "id"]);
  const shipped = shippedUnits(
    (order.fulfillments ?? []).map((fulfillment) => ({
      status: fulfillment.status,
      lines: fulfillment.fulfillmentLineItems.map((line) => ({ lineId: numericTail(line.lineItem.id), quantity: line.quantity })),
    })),
  );
  return cancellationResult(
    {
      kind: "order",
      orderId,
      occurredAt: order.cancelledAt,
      reason: reasonFrom(order.cancelReason),
      note: order.cancellation?.staffNote,
      nothingCancelled: "every unit had shipped before the cancellation",
    },
    order.lineItems.map((line, index) => {
      const unshipped = line.quantity - Math.min(shipped.get(lineIds[index]!) ?? 0, line.quantity);
      const removed =
        line.currentQuantity === null || line.currentQuantity === undefined ? undefined : line.quantity - line.currentQuantity;
      return {
        lineId: lineIds[index]!,
        sku: line.sku,
        orderedQuantity: line.quantity,
        cancelled: removed === undefined ? unshipped : Math.min(removed, unshipped),
      };
    }),
  );
}
