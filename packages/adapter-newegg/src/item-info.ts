import type { CancelledLine, Reason } from "@restock/core";
import { z } from "@restock/core/fields";
import { Count, oneOrMany, PartNumber, PositiveCount } from "./fields.js";

/** Item `Status` 3: the line is cancelled (1 Unshipped, 2 Shipped). */
export const ITEM_CANCELED = 3;

/** An item as Get Order Information lists it (`ItemInfoList.ItemInfo`); `ShippedQty` absent means nothing shipped. */
export const ItemInfo = z
  .object({
    SellerPartNumber: PartNumber,
    OrderedQty: PositiveCount,
    ShippedQty: Count.default(0),
    Status: Count.optional(),
  })
  .refine((item) => item.ShippedQty <= item.OrderedQty, { message: "ShippedQty is above OrderedQty", path: ["ShippedQty"] });
export type ItemInfo = z.infer<typeof ItemInfo>;

/** One item or several; a seller part number is one line, so it may appear once per order. */
export const ItemList = oneOrMany(ItemInfo).superRefine((items, ctx) => {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.SellerPartNumber)) {
      ctx.addIssue({
        code: "custom",
        message: `SellerPartNumber "${item.SellerPartNumber}" appears twice in the order`,
        path: [index, "SellerPartNumber"],
      });
    }
    seen.add(item.SellerPartNumber);
  });
});

/** The cancelled lines of these items: each item's unshipped units (shipped units are not cancelled). */
export function unshippedLines(items: readonly ItemInfo[], reason: Reason | null): CancelledLine[] {
  return items.flatMap((item) => {
    const quantity = item.OrderedQty - item.ShippedQty;
    if (quantity <= 0) return [];
    // Newegg identifies a line by its seller part number (Remove Item names lines that way too).
    return [{ lineId: item.SellerPartNumber, sku: item.SellerPartNumber, quantity, orderedQuantity: item.OrderedQty, reason }];
  });
}
