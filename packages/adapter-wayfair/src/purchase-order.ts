import { type Cancellation, type IgnoredEvent, isCleanText, type Reason } from "@restock/core";
import { MAX_UNITS, z } from "@restock/core/fields";

/**
 * Ids, part numbers and reason codes key the ledger or are shown: well-formed text without NUL, as
 * core's Id and Sku (a lone surrogate escape would be stored as U+FFFD, merging two SKUs).
 */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";
const Text = z.string().trim().min(1).max(256).refine(isCleanText, CLEAN_TEXT);
const Code = z.string().trim().max(256).refine(isCleanText, CLEAN_TEXT);

/**
 * The reason the host adds from Partner Home or EDI: `{ code, label? }` or the code as a string.
 * Empty means none.
 */
const RestockReason = z
  .union([Code, z.object({ code: Code, label: z.string().trim().max(1024).optional() })], {
    error: "must be a reason code or { code, label }",
  })
  .nullish()
  .transform((reason): Reason | null => {
    if (!reason) return null;
    if (typeof reason === "string") return { code: reason };
    if (!reason.code) return null;
    return reason.label ? { code: reason.code, label: reason.label } : { code: reason.code };
  });

/** `products[]` of a purchase order: `partNumber` is the supplier's part number (the seller's SKU). */
const Product = z.object({
  partNumber: Text,
  quantity: z.int().positive().max(MAX_UNITS),
  isCancelled: z.boolean().nullish(),
  restockReason: RestockReason,
});

/** A purchase order as the supplier GraphQL API's `purchaseOrders` query returns it, plus the optional host reason. */
export const PurchaseOrder = z.compile(
  z
    .object({
      poNumber: Text,
      products: z.array(Product).max(1000),
      restockReason: RestockReason,
    })
    .superRefine((order, ctx) => {
      const seen = new Set<string>();
      order.products.forEach((product, index) => {
        if (seen.has(product.partNumber)) {
          ctx.addIssue({
            code: "custom",
            message: `partNumber "${product.partNumber}" appears twice in the order`,
            path: ["products", index, "partNumber"],
          });
        }
        seen.add(product.partNumber);
      });
    }),
);
export type PurchaseOrder = z.infer<typeof PurchaseOrder>;

/**
 * Products with `isCancelled: true` are cancelled lines at their full quantity (Wayfair has no
 * partial-quantity cancellation field). A product's reason wins over the order's.
 */
export function evaluatePurchaseOrder(order: PurchaseOrder): Cancellation | IgnoredEvent {
  const lines = order.products
    .filter((product) => product.isCancelled === true)
    .map((product) => ({
      lineId: product.partNumber,
      sku: product.partNumber,
      quantity: product.quantity,
      orderedQuantity: product.quantity,
      reason: product.restockReason ?? order.restockReason,
    }));
  if (lines.length === 0) {
    return { kind: "purchaseOrder", reason: "not_a_cancellation", orderId: order.poNumber, detail: "no product has isCancelled: true" };
  }
  // Wayfair gives no cancellation time (poDate is when the order was placed).
  return { marketplace: "wayfair", orderId: order.poNumber, occurredAt: null, lines };
}
