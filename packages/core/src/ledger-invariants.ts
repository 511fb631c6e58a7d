import { type CancelledLine, IgnoreReason, isCleanText, MAX_UNITS, type ParseResult } from "./schemas/cancellation.js";

const IGNORE_REASONS: ReadonlySet<string> = new Set(IgnoreReason.options);

// At most 256 characters counted as zod's max() counts them (code points, not UTF-16 units), so an
// id the adapter's schema let through is never refused here; the count runs only past 256 units.
// Well-formed and without NUL (isCleanText): two different ids must stay two keys in the ledger.
const isId = (value: unknown): value is string =>
  typeof value === "string" && value.length > 0 && (value.length <= 256 || codePoints(value) <= 256) && isCleanText(value);
const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= MAX_UNITS;

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/**
 * The first way an adapter's result would break the ledger, or undefined when it would not: ids
 * and SKUs that key the cumulative quantities, positive whole quantities never above the ordered
 * quantity, a reason that is null or carries a code, reason parts that add up to the line's
 * quantity, no line id twice in one cancellation (the ledger keys a line's cumulative quantity by
 * it: the second line would silently lose its units), the adapter's own marketplace (`expected`),
 * ignored events with a kind and a reason the contract names.
 *
 * This runs on every event, so it is a plain loop over exactly what the exactly-once arithmetic
 * relies on; the conformance kit checks the full `ParseResult` schema against every fixture and
 * thousands of mutated payloads, and `createEngine({ checkOutput: "schema" })` runs it live too.
 */
export function ledgerInvariantProblem(result: ParseResult, marketplace?: string): string | undefined {
  if (result === null || typeof result !== "object") return "result: expected an object";
  const { cancellations, ignored } = result;
  if (!Array.isArray(cancellations)) return "cancellations: expected an array";
  if (!Array.isArray(ignored)) return "ignored: expected an array";
  for (let c = 0; c < cancellations.length; c++) {
    const cancellation = cancellations[c];
    if (cancellation === null || typeof cancellation !== "object") return `cancellations.${c}: expected an object`;
    if (!isId(cancellation.orderId)) return `cancellations.${c}.orderId: expected a non-empty id`;
    if (typeof cancellation.marketplace !== "string" || cancellation.marketplace === "")
      return `cancellations.${c}.marketplace: expected a name`;
    if (marketplace !== undefined && cancellation.marketplace !== marketplace)
      return `cancellations.${c}.marketplace: expected "${marketplace}", the adapter's id`;
    const { lines } = cancellation;
    if (!Array.isArray(lines) || lines.length === 0) return `cancellations.${c}.lines: expected at least one line`;
    for (let l = 0; l < lines.length; l++) {
      const problem = lineProblem(lines[l]);
      if (problem !== undefined) return `cancellations.${c}.lines.${l}${problem}`;
    }
    const repeated = repeatedLine(lines);
    if (repeated !== undefined) return `cancellations.${c}.lines.${repeated}.lineId: "${lines[repeated]!.lineId}" appears twice`;
  }
  for (let i = 0; i < ignored.length; i++) {
    const event = ignored[i];
    if (event === null || typeof event !== "object" || typeof event.kind !== "string" || !IGNORE_REASONS.has(event.reason)) {
      return `ignored.${i}: expected { kind, reason } with reason one of ${IgnoreReason.options.join(", ")}`;
    }
  }
  return undefined;
}

/** The index of the first line whose id an earlier line has, or undefined. */
function repeatedLine(lines: readonly CancelledLine[]): number | undefined {
  // Most cancellations have a few lines: comparing them pairwise is cheaper than a Set.
  if (lines.length <= 16) {
    for (let l = 1; l < lines.length; l++) {
      for (let k = 0; k < l; k++) if (lines[k]!.lineId === lines[l]!.lineId) return l;
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (let l = 0; l < lines.length; l++) {
    if (seen.has(lines[l]!.lineId)) return l;
    seen.add(lines[l]!.lineId);
  }
  return undefined;
}

/** What is wrong with one cancelled line, as a path suffix and message; the caller adds the line's path only then. */
function lineProblem(line: CancelledLine | undefined): string | undefined {
  if (line === null || typeof line !== "object") return ": expected an object";
  if (!isId(line.lineId)) return ".lineId: expected a non-empty id of well-formed text";
  if (!isId(line.sku)) return ".sku: expected a non-empty SKU of well-formed text";
  if (!isCount(line.quantity)) return `.quantity: expected a positive whole number up to ${MAX_UNITS}`;
  if (line.orderedQuantity !== undefined && !(isCount(line.orderedQuantity) && line.quantity <= line.orderedQuantity)) {
    return `.orderedQuantity: expected a positive whole number up to ${MAX_UNITS}, not below the quantity`;
  }
  const reason = reasonProblem(line.reason);
  if (reason !== undefined) return `.reason${reason}`;
  if (line.reasonParts !== undefined) return partsProblem(line.reasonParts, line.quantity);
  return undefined;
}

/**
 * What is wrong with a reason, as a path suffix and message, or undefined: null, or an object with a
 * code of text. A code handed on as a number (Newegg's 24) is named as such: only a host's canonical
 * cancellation is read that way, and "expected null or { code }" left an author looking at a code.
 */
function reasonProblem(reason: unknown): string | undefined {
  if (reason === null) return undefined;
  if (typeof reason !== "object") return ": expected null or { code }";
  const { code } = reason as { code?: unknown };
  if (isId(code)) return undefined;
  if (typeof code === "number") return `.code: expected text, not the number ${code} (hand a numeric code on as String(code))`;
  return ".code: expected a non-empty code of well-formed text";
}

/** The parts of a line cancelled under several reasons restore by part: their units must be the line's. */
function partsProblem(parts: unknown, quantity: number): string | undefined {
  if (!Array.isArray(parts) || parts.length === 0) return ".reasonParts: expected at least one part";
  let total = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as { reason?: unknown; quantity?: unknown } | null;
    if (part === null || typeof part !== "object") return `.reasonParts.${p}: expected { reason, quantity }`;
    const reason = reasonProblem(part.reason);
    if (reason !== undefined) return `.reasonParts.${p}.reason${reason}`;
    if (!isCount(part.quantity)) return `.reasonParts.${p}.quantity: expected a positive whole number up to ${MAX_UNITS}`;
    total += part.quantity;
  }
  if (total !== quantity) return `.reasonParts: the parts add up to ${total}, not the line's quantity ${quantity}`;
  return undefined;
}
