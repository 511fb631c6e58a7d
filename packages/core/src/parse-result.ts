import type { Cancellation, IgnoredEvent, ParseResult } from "./schemas/cancellation.js";

/**
 * Sorts what each order (or message) of a payload came to into a `ParseResult`, keeping their
 * order: adapters evaluate one order at a time and each order is either cancelled or ignored.
 */
export function toParseResult(outcomes: Iterable<Cancellation | IgnoredEvent>): ParseResult {
  const result: ParseResult = { cancellations: [], ignored: [] };
  for (const outcome of outcomes) {
    if ("lines" in outcome) result.cancellations.push(outcome);
    else result.ignored.push(outcome);
  }
  return result;
}
