import { isCleanText } from "@restock/core";
import { z } from "@restock/core/fields";

/**
 * The part of a Mirakl order (seller API OR11 "List orders", one element of `orders[]`; OR12
 * and order webhooks carry the same order object) that this adapter reads. Unknown keys are
 * dropped, not rejected: Mirakl adds fields over time.
 */
// Clean text (no NUL, no lone surrogate): ids and SKUs key the seller's ledger, where such text
// cannot be stored exactly, so a payload holding it is refused naming the field.
const Text = (max: number, min = 0) => z.string().min(min).max(max).refine(isCleanText, "must be well-formed text without NUL characters");

/** One cancellation of units of a line (`order_lines[].cancelations[]`). */
export const MiraklCancelation = z.object({
  /** The operator's cancellation reason code; its meaning comes from the operator's reason table. */
  reason_code: Text(256).nullish(),
  /** Units cancelled by this cancellation. */
  quantity: z.number().int().nonnegative(),
  created_date: Text(64).nullish(),
});
export type MiraklCancelation = z.infer<typeof MiraklCancelation>;

export const MiraklOrderLine = z.object({
  order_line_id: Text(256, 1),
  /** The seller's SKU for the offer. */
  offer_sku: Text(256, 1),
  /** Units ordered on the line. */
  quantity: z.number().int().positive(),
  /** e.g. WAITING_ACCEPTANCE, SHIPPING, SHIPPED, CANCELED, REFUSED. */
  order_line_state: Text(64, 1),
  order_line_state_reason_code: Text(256).nullish(),
  order_line_state_reason_label: Text(1024).nullish(),
  cancelations: z.array(MiraklCancelation).max(1000).nullish(),
});
export type MiraklOrderLine = z.infer<typeof MiraklOrderLine>;

export const MiraklOrder = z.object({
  order_id: Text(256, 1),
  order_state: Text(64, 1),
  order_state_reason_code: Text(256).nullish(),
  order_state_reason_label: Text(1024).nullish(),
  last_updated_date: Text(64).nullish(),
  order_lines: z.array(MiraklOrderLine).min(1).max(10_000),
});
export type MiraklOrder = z.infer<typeof MiraklOrder>;

/** An OR11 response page: `{ orders: [...], total_count }`. */
export const MiraklOrderPage = z.object({
  orders: z.array(MiraklOrder).max(10_000),
  total_count: z.number().int().nonnegative().optional(),
});
export type MiraklOrderPage = z.infer<typeof MiraklOrderPage>;
