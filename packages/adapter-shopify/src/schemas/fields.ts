import { isCleanText } from "@restock/core";
import { Count, MAX_UNITS, z } from "@restock/core/fields";

// Ids are checked in one step each (no unions, no transform pipes): this runs for every line of
// every payload, and the adapter's hot path is benchmarked.
const DIGITS = /^[1-9]\d{0,29}$/;

/**
 * A REST numeric id: a positive JSON integer, or a digit string (what lossless-json makes of a
 * 16+ digit integer). `resolveId` turns it into the id string, refusing a number above 2^53.
 */
export const NumericId = z.custom<number | string>(
  (value) => (typeof value === "number" && value > 0 && Number.isInteger(value)) || (typeof value === "string" && DIGITS.test(value)),
  { error: (issue) => (issue.input === undefined ? "missing: a positive integer id is required" : "must be a positive integer id") },
);

/** A GraphQL global id of one resource type: `gid://shopify/Order/5324790137143`. `numericTail` reads the number. */
export function globalId(type: string) {
  return z.string().regex(new RegExp(`^gid://shopify/${type}/[1-9]\\d{0,29}$`), `must be a gid://shopify/${type}/<number> id`);
}

/**
 * SKUs and reason codes key the ledger or are shown: well-formed text without NUL, as core's Sku
 * (a lone surrogate escape would be stored as U+FFFD, merging two SKUs). Ids are digits already.
 */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";

/** Shopify leaves `sku` empty or null on custom items, tips and gift cards: such lines hold no stock. */
export const Sku = z.string().max(256).refine(isCleanText, CLEAN_TEXT).nullish();

/** `cancel_reason` / `cancelReason`: lower case in REST, upper case in GraphQL, null when not cancelled. */
export const ReasonCode = z.string().max(256).refine(isCleanText, CLEAN_TEXT).nullish();

/** A line's ordered units: a whole number from 1 to MAX_UNITS, the canonical cancellation's bounds. */
export const OrderedQuantity = z.number().int().positive().max(MAX_UNITS);
/** Shipped, refunded or remaining units: a whole number from 0 to MAX_UNITS. */
export const UnitCount = Count;

export const IsoTime = z.iso.datetime({ offset: true });
