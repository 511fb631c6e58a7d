/**
 * An unvalidated value as an error message names it: at most `max` characters of its JSON, cut
 * before a split surrogate pair, and an array or object by its kind only. JSON.stringify walks a
 * nested value recursively: a body nesting one 10,000 deep overflowed the stack, and the refusal
 * became an adapter failure (the delivery accepted, then dead-lettered) instead of a 400.
 */
export function previewValue(value: unknown, max = 40): string {
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object" && value !== null) return "an object";
  const text = String(JSON.stringify(value));
  return text.length <= max ? text : `${text.slice(0, max).replace(/[\uD800-\uDBFF]$/, "")}…`;
}
