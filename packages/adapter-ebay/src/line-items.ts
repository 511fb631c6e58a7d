import type { CancelledLine, Reason } from "@restock/core";
import { Count, Id, Sku, uniqueIds, z } from "@restock/core/fields";
import { wholeLine } from "./result.js";

const SKU_REQUIRED = "the SKU is required: a line without one cannot be matched to the seller's inventory";

/** Fulfillment API `LineItem`, the fields read. `sku` is optional at eBay (listings without one), required here. */
const LineItem = z.object({
  lineItemId: Id,
  sku: z.string({ error: (issue) => (issue.input === undefined ? SKU_REQUIRED : undefined) }).pipe(Sku),
  quantity: Count,
  lineItemFulfillmentStatus: z.string().max(32).optional(),
});

export const LineItems = z
  .array(LineItem)
  .min(1)
  .superRefine(uniqueIds((item) => item.lineItemId, "lineItemId"));

/**
 * eBay marks a line `IN_PROGRESS` or `FULFILLED` once it is "packaged and assigned to a shipping
 * fulfillment" (handling unfulfilled line items), `FULFILLED` as soon as one unit is: its units
 * have left the shelf, so restoring them would sell stock that is gone.
 */
const PACKED = new Set(["FULFILLED", "IN_PROGRESS"]);

/** Every line at its full quantity; a packed or shipped line is left out. */
export function cancelledLineItems(lineItems: z.infer<typeof LineItems>, reason: Reason | null): (CancelledLine | undefined)[] {
  return lineItems.map((item) =>
    wholeLine(item.lineItemId, item.sku, item.quantity, PACKED.has(item.lineItemFulfillmentStatus ?? ""), reason),
  );
}
