import type { ParseResult } from "@restock/core";
import { cancellationResult, ignored, reasonFrom } from "./cancellation-result.js";
import { resolveId, uniqueLineIds } from "./resolve-id.js";
import type { RestOrder } from "./schemas/rest-order.js";
import { shippedUnits } from "./shipped-units.js";

type Line = RestOrder["line_items"][number];

/**
 * A REST Order (the `orders/cancelled` webhook body): when `cancelled_at` is set, every line's
 * units minus those already shipped are cancelled, under the order's `cancel_reason`.
 */
export function fromRestOrder(order: RestOrder, path: readonly PropertyKey[]): ParseResult {
  const orderId = resolveId(order.admin_graphql_api_id, order.id, () => [...path, "id"]);
  if (!order.cancelled_at) return ignored("order", "not_a_cancellation", orderId, "cancelled_at is not set: the order is not cancelled");

  const lineIds = order.line_items.map((line, index) =>
    resolveId(line.admin_graphql_api_id, line.id, () => [...path, "line_items", index, "id"]),
  );
  uniqueLineIds(lineIds, (index) => [...path, "line_items", index, "id"]);

  const fulfillments = order.fulfillments ?? [];
  const shipped =
    fulfillments.length === 0
      ? undefined
      : shippedUnits(
          fulfillments.map((fulfillment, f) => ({
            status: fulfillment.status,
            lines: fulfillment.line_items.map((line, index) => ({
              lineId: resolveId(line.admin_graphql_api_id, line.id, () => [...path, "fulfillments", f, "line_items", index, "id"]),
              quantity: line.quantity,
            })),
          })),
        );
  const orderFulfilled = order.fulfillment_status === "fulfilled";

  return cancellationResult(
    {
      kind: "order",
      orderId,
      occurredAt: order.cancelled_at,
      reason: reasonFrom(order.cancel_reason),
      nothingCancelled: "every unit had shipped before the cancellation",
    },
    order.line_items.map((line, index) => {
      const lineId = lineIds[index]!;
      const sent = Math.min(shipped ? (shipped.get(lineId) ?? 0) : shippedWithoutFulfillments(line, orderFulfilled), line.quantity);
      return { lineId, sku: line.sku, orderedQuantity: line.quantity, cancelled: line.quantity - sent };
    }),
  );
}

/**
 * Shipped units when the body lists no fulfillments: all of them on a fulfilled line or order; on a
 * partly fulfilled line, what is left on it after the cancellation removed the unfulfilled units.
 */
function shippedWithoutFulfillments(line: Line, orderFulfilled: boolean): number {
  if (orderFulfilled || line.fulfillment_status === "fulfilled") return line.quantity;
  if (line.fulfillment_status === "partial") return line.current_quantity ?? 0;
  return 0;
}
