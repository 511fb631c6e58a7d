import type { ParseResult } from "@restock/core";
import { cancellationResult, ignored, type LineUnits } from "./cancellation-result.js";
import { resolveId } from "./resolve-id.js";
import type { Refund } from "./schemas/refund.js";

// Refund lines that put units back on the shelf without cancelling them.
const RESTOCKED_OTHERWISE = new Set(["return", "legacy_restock"]);

/**
 * The `refunds/create` webhook: refund lines with `restock_type: "cancel"` cancel units of their
 * line (Shopify's only line-level cancellation). They carry no reason. The ledger needs the line's
 * cumulative cancelled quantity (rule book §3), which the embedded line item shows after this refund:
 * - `line_item.quantity − line_item.current_quantity` (it counts earlier refunds too);
 * - else, when `fulfillment_status` is null (no unit fulfilled), `quantity − fulfillable_quantity`:
 *   with nothing shipped, the units no longer to be shipped are the ones removed;
 * - else this refund's own quantity. A second cancel refund of the same line then reports no more
 *   than the first recorded, and restores nothing: the line item shows no total to read.
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

  const byLine = new Map<string, LineUnits & { refunded: number; remaining?: number }>();
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
    const remaining = remainingUnits(line.line_item);
    if (remaining !== undefined) units.remaining = remaining;
    byLine.set(lineId, units);
  });

  const units: LineUnits[] = [...byLine.values()].map(({ lineId, sku, orderedQuantity, refunded, remaining }) => ({
    lineId,
    sku,
    ...(orderedQuantity === undefined ? {} : { orderedQuantity }),
    // The total removed so far is at least what this refund cancels, whatever the snapshot says.
    cancelled: orderedQuantity !== undefined && remaining !== undefined ? Math.max(orderedQuantity - remaining, refunded) : refunded,
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

/** The line's units not removed from the order, when the embedded line item shows them (see above). */
function remainingUnits(lineItem: Refund["refund_line_items"][number]["line_item"]): number | undefined {
  if (lineItem?.current_quantity !== undefined) return lineItem.current_quantity;
  if (lineItem?.fulfillment_status === null) return lineItem.fulfillable_quantity;
  return undefined;
}
