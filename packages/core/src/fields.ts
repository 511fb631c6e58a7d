import { z } from "zod";
import { CLEAN_TEXT, isCleanText, MAX_UNITS } from "./schemas/cancellation.js";
import { previewValue } from "./value-preview.js";

export { MAX_UNITS };

// Zod building blocks for adapters' payload schemas (`@restock/core/fields`). Bounds match the
// canonical cancellation's, so a payload that passes here always yields a valid result.

/**
 * zod itself, as core has it: adapters build their schemas with this `z` instead of depending on
 * zod, so a host installs one zod (core's) however many adapters it takes. With zod a dependency
 * of each adapter, a host holding another zod major got one nested copy (8 MB) per adapter.
 */
export { z };

/** An order, line or message id (well-formed text without NUL: it keys the ledger, see isCleanText). */
export const Id = z.string().min(1).max(256).refine(isCleanText, CLEAN_TEXT);

/** A seller SKU (well-formed text without NUL, like Id). */
export const Sku = z.string().min(1).max(256).refine(isCleanText, CLEAN_TEXT);

/** A JSON unit count: a whole number, 0 to MAX_UNITS. */
export const Count = z.int().nonnegative().max(MAX_UNITS);

const WHOLE_NUMBER = /^\s*\d+\s*$/;

/**
 * A unit count written as text (XML, where fast-xml-parser leaves numbers alone) or as a JSON
 * number: a whole number, 0 to MAX_UNITS. "-3", "2.5" and "" are refused.
 */
export const UnitCount = z.unknown().transform((value, ctx) => {
  const count = typeof value === "number" ? value : typeof value === "string" && WHOLE_NUMBER.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(count) && count >= 0 && count <= MAX_UNITS) return count;
  ctx.addIssue({
    code: "custom",
    message: value === undefined ? "is required" : `must be a whole number of units (0 to ${MAX_UNITS}), got ${previewValue(value)}`,
  });
  return z.NEVER;
});

/** An ISO-8601 timestamp with a zone. */
export const Timestamp = z.iso.datetime({ offset: true }).max(64);

/** A reason as free text or a code; empty means none. Clean text, like Id: it becomes a reason code. */
export const ReasonText = z.string().max(256).refine(isCleanText, CLEAN_TEXT);

/**
 * An XML element that may occur once or several times (and its JSON mirror, which may write a
 * single one as an object): always a non-empty array. `whenMissing` replaces zod's message for
 * an absent element.
 */
export function oneOrMany<T extends z.ZodType>(item: T, whenMissing?: string) {
  const array = z.array(item, { error: (issue) => (issue.input === undefined ? whenMissing : undefined) }).min(1);
  return z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), array);
}

/**
 * A refinement for an order's item array: the canonical cancellation keys lines by id, so one
 * id twice is a broken payload, not two lines.
 */
export function uniqueIds<T>(id: (item: T) => string, field: string) {
  return (items: readonly T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const value = id(item);
      if (seen.has(value)) ctx.addIssue({ code: "custom", path: [index, field], message: `${field} "${value}" appears twice` });
      seen.add(value);
    });
  };
}
