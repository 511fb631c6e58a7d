import type { ParseResult } from "@restock/core";
import { cancellationResult, ignored, reasonFrom } from "./cancellation-result.js";
import { numericTail, uniqueLineIds } from "./resolve-id.js";
import type { GraphqlOrder } from "./schemas/graphql-order.js";
import { shippedUnits } from "./shipped-units.js";

/**
 * An Admin GraphQL Order: when `cancelledAt` is set, a line's cancelled units are
 * `quantity − currentQuantity` (currentQuantity excludes removed units), or, when the query did
 * not ask for currentQuantity, its units minus those in the order's fulfillments.
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
    order.lineItems.map((line, index) => ({
      lineId: lineIds[index]!,
      sku: line.sku,
      orderedQuantity: line.quantity,
      cancelled:
        line.currentQuantity === null || line.currentQuantity === undefined
          ? line.quantity - Math.min(shipped.get(lineIds[index]!) ?? 0, line.quantity)
          : line.quantity - line.currentQuantity,
    })),
  );
}
