import { isCleanText } from "@restock/core";
import { Sku as CoreSku, Id, MAX_UNITS, z } from "@restock/core/fields";

/** Core's message for text that is not well-formed or holds NUL (a lone surrogate escape would be stored as U+FFFD). */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";

/**
 * Walmart writes ids as strings (`purchaseOrderId`, `lineNumber`, `eventId`); a number or an empty
 * string is a broken payload, and so is one that is not well-formed text or holds NUL (core's Id).
 */
export const WalmartId = Id;

/** The seller SKU: core's Sku (1 to 256 characters of well-formed text without NUL). */
export const Sku = CoreSku;

/** A free-string reason (Walmart types `cancellationReason` as a string); empty means none. Well-formed, without NUL. */
export const ReasonCode = z.string().max(256).refine(isCleanText, CLEAN_TEXT).nullish();

export const EventName = z.string().min(1).max(128);

/**
 * A unit count as Walmart sends it: a string of digits (`statusQuantity.amount`,
 * `quantity.measurementValue`), 0 to MAX_UNITS (the canonical cancellation's bound on a line's
 * units). "1.5", "-1" or "abc" are rejected, never rounded.
 */
export const UnitCount = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a whole number of units written as a string, like "2"')
  .transform(Number)
  .refine((units) => units <= MAX_UNITS, `must be at most ${MAX_UNITS} units`);

export const OrderedUnitCount = UnitCount.refine((units) => units > 0, "an ordered quantity must be at least 1");

export const IsoTime = z.iso.datetime({ offset: true });
