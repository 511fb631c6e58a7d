import { isCleanText } from "@restock/core";
import { MAX_UNITS, z } from "@restock/core/fields";

// Newegg's JSON mirrors its XML: numbers and flags usually arrive as strings ("4", "true").

/**
 * Order numbers, part numbers and reason codes key the ledger or are shown: well-formed text
 * without NUL, as core's Id and Sku (a lone surrogate escape would be stored as U+FFFD).
 */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";

/** Order numbers: a digit string or a number; `missing` is the message when there is none. */
export function orderNumber(missing = "required") {
  return z
    .union([z.string().trim().min(1).max(256).refine(isCleanText, CLEAN_TEXT), z.int().nonnegative()], {
      error: (issue) => (issue.input === undefined ? missing : "must be an order number (text or a whole number)"),
    })
    .transform(String);
}

/** A seller part number (the seller's SKU). */
export const PartNumber = z.string().trim().min(1).max(256).refine(isCleanText, CLEAN_TEXT);

/**
 * Unit counts and status codes: a whole number from 0 to MAX_UNITS (the canonical cancellation's
 * bound on a line's units), as a number or a digit string.
 */
export const Count = z
  .union(
    [
      z.int().nonnegative(),
      z
        .string()
        .trim()
        .regex(/^\d{1,10}$/)
        .transform(Number),
    ],
    {
      error: (issue) => (issue.input === undefined ? "required" : "must be a whole number (a number or a digit string)"),
    },
  )
  .pipe(z.number().max(MAX_UNITS, `must be at most ${MAX_UNITS}`));

export const PositiveCount = Count.refine((count) => count > 0, "must be at least 1");

/** `IsAutoVoid`: "true"/"false" (any case) or a boolean. */
export const Flag = z.union(
  [
    z.boolean(),
    z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["true", "false"]))
      .transform((flag) => flag === "true"),
  ],
  {
    error: 'must be "true" or "false"',
  },
);

/** The cancel reason `Value`: Newegg's four codes are numbers; anything else is kept as an unknown code. */
export const ReasonValue = z
  .union([z.string().trim().max(256).refine(isCleanText, CLEAN_TEXT), z.int()], { error: "must be a reason code" })
  .nullish()
  .transform((code) => (code === null || code === undefined || code === "" ? undefined : String(code)));

/** Newegg lists one item as an object and several as an array. */
export function oneOrMany<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (typeof value === "object" && value !== null && !Array.isArray(value) ? [value] : value),
    z.array(item).min(1).max(1000),
  );
}
