import { isCleanText } from "@restock/core";
import { MAX_UNITS, z } from "@restock/core/fields";

const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";

/**
 * Text that keys the ledger or is shown (ids, SKUs, reason codes): well-formed and without NUL, as
 * core's Id and Sku (a lone surrogate escape would be stored as U+FFFD, merging two SKUs).
 */
export const cleanText = (min: number, max: number) => z.string().trim().min(min).max(max).refine(isCleanText, CLEAN_TEXT);

/** Order numbers, product ids and refund request ids: strings in Reverb's JSON, numbers accepted too. */
export const Id = z
  .union([cleanText(1, 256), z.int().nonnegative()], { error: "must be an id (text or a whole number)" })
  .transform(String);

/** An order's units: a whole number from 1 to MAX_UNITS, the canonical cancellation's bounds. */
export const Quantity = z.int().positive().max(MAX_UNITS);

/** Order statuses and refund request states (`cancelled`, `approved`, ...). */
export const Word = z.string().trim().min(1).max(64);

/** Reverb money `{ amount: "1000.00", currency, ... }`; `amount` may also be a number. */
export const Money = z.object({
  amount: z.union(
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
  ),
});

/** Timestamps are informative only: any short string is accepted, iso-instant decides whether it is usable. */
export const Timestamp = z.string().max(64).nullish();

// Amounts are compared in cents.
export const cents = (amount: number) => Math.round(amount * 100);
export const money = (amountCents: number) => (amountCents / 100).toFixed(2);
