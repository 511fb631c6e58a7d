import { isCleanText } from "@restock/core";
import { MAX_UNITS, z } from "@restock/core/fields";

/** Ids, SKUs and reason codes key the ledger or are shown: well-formed text without NUL, as core's Id and Sku. */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";

/**
 * Order ids and SKUs: bounded, and well-formed without NUL (a lone surrogate escape would be
 * stored as U+FFFD, merging two SKUs), so a hostile value never reaches the ledger.
 */
export const Text = z.string().trim().min(1).max(256).refine(isCleanText, CLEAN_TEXT);

/** Order states (`REFUNDED`, `SHIPPED`, ...). */
export const State = z.string().trim().min(1).max(64);

/**
 * Ordered units: v2 sends a digit string ("2"), v3 a number. Anything but a whole count from 1 to
 * MAX_UNITS (the canonical cancellation's bound on a line's units) is refused.
 */
export const Units = z
  .union(
    [
      z.int().positive(),
      z
        .string()
        .trim()
        .regex(/^[1-9]\d{0,9}$/)
        .transform(Number),
    ],
    {
      error: "must be a positive whole number of units (a number or a digit string)",
    },
  )
  .pipe(z.number().max(MAX_UNITS, `must be at most ${MAX_UNITS} units`));

/** Money: v2 sends decimal strings ("18.0"), v3 numbers. */
export const Amount = z.union(
  [
    z.number().nonnegative(),
    z
      .string()
      .trim()
      .regex(/^\d{1,12}(\.\d{1,6})?$/)
      .transform(Number),
  ],
  {
    error: "must be a non-negative amount (a number or a decimal string)",
  },
);

/** v3 money object `{ amount, currency_code }`. */
export const Money = z.object({ amount: Amount });

/** A refund reason: a numeric code (as a string or an integer) or a named code; empty means none. */
export const ReasonCode = z
  .union([z.string().trim().max(256).refine(isCleanText, CLEAN_TEXT), z.int()], { error: "must be a reason code (text or a whole number)" })
  .nullish()
  .transform((code) => (code === null || code === undefined || code === "" ? undefined : String(code)));

/** Timestamps are informative only: any string is accepted, iso-instant decides whether it is usable. */
export const Timestamp = z.string().max(64).nullish();
