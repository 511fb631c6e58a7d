import { MAX_UNITS } from "@restock/core/fields";
import { z } from "zod";

/** Walmart writes ids as strings (`purchaseOrderId`, `lineNumber`); a number or an empty string is a broken payload. */
export const WalmartId = z.string().min(1).max(256);

export const Sku = z.string().min(1).max(256);

/** A free-string reason (Walmart types `cancellationReason` as a string); empty means none. */
export const ReasonCode = z.string().max(256).nullish();

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
