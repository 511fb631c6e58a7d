import type { ParseResult } from "@restock/core";
import { cancellationResult, ignored, type LineUnits } from "./cancellation-result.js";
import { resolveId } from "./resolve-id.js";
import type { Refund } from "./schemas/refund.js";

// Refund lines that put units back on the shelf without cancelling them.
const RESTOCKED_OTHERWISE = new Set(["return", "legacy_restock"]);

/**
 * The `refunds/create` webhook: refund lines with `restock_type: "cancel"` cancel units of their
 * line (Shopify's only line-level cancellation). They carry no reason. The cumulative cancelled
 * quantity is `line_item.quantity − line_item.current_quantity` (it counts earlier refunds too),
 * else, without the embedded line item's current quantity, this refund's own quantity.
 */
export function fromRefund(refund: Refund): ParseResult {
  const orderId = resolveId(undefined, refund.order_id, () => ["order_id"]);
  const cancelLines = refund.refund_line_items.filter((line) => line.restock_type === "cancel");
  if (cancelLines.length === 0) {
    const isReturn = refund.refund_line_items.some((line) => line.restock_type && RESTOCKED_OTHERWISE.has(line.restock_type));
    return isReturn
      ? ignored("refunds/create", "not_a_cancellation", orderId, "a return: the refunded units were restocked as returned")
      : ignored("refunds/create", "partial_refund", orderId, "a refund that cancels no units");
  }

  const byLine = new Map<string, LineUnits & { refunded: number; current?: number }>();
  refund.refund_line_items.forEach((line, index) => {
    if (line.restock_type !== "cancel") return;
    const lineId = resolveId(undefined, line.line_item_id, () => ["refund_line_items", index, "line_item_id"]);
    const units = byLine.get(lineId) ?? {
      lineId,
      sku: line.line_item?.sku,
      orderedQuantity: line.line_item?.quantity,
      cancelled: 0,
      refunded: 0,
    };
    units.refunded += line.quantity;
    if (line.line_item?.current_quantity !== undefined) units.current = line.line_item.current_quantity;
    byLine.set(lineId, units);
  });

  const units: LineUnits[] = [...byLine.values()].map(({ lineId, sku, orderedQuantity, refunded, current }) => ({
    lineId,
    sku,
    ...(orderedQuantity === undefined ? {} : { orderedQuantity }),
    // The total removed so far is at least what this refund cancels, whatever the snapshot says.
    cancelled: orderedQuantity !== undefined && current !== undefined ? Math.max(orderedQuantity - current, refunded) : refunded,
  }));

  const hasRefundId = refund.admin_graphql_api_id !== undefined || refund.id !== undefined;
  return cancellationResult(
    {
      kind: "refunds/create",
      orderId,
      ...(hasRefundId ? { cancellationId: resolveId(refund.admin_graphql_api_id, refund.id, () => ["id"]) } : {}),
      occurredAt: refund.created_at ?? null,
      reason: null,
      nothingCancelled: "the cancel refund lines cancel no units",
    },
    units,
  );
}
