import type { Adapter } from "../define-adapter.js";
import { Timestamp } from "../fields.js";
import { ParseResult } from "../schemas/cancellation.js";
import { isThenable } from "../thenable.js";

/**
 * Problems with a parse result, in words: schema violations, quantities above the ordered
 * quantity, a marketplace other than the adapter's, a time that is not ISO-8601 with a zone. Empty
 * when the result is valid.
 */
export function resultProblems(adapter: Adapter, result: unknown): string[] {
  if (isThenable(result)) {
    return ["parse returned a Promise: it must be synchronous and do no I/O"];
  }
  const checked = ParseResult.safeParse(result);
  if (!checked.success) {
    return checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  }
  const problems: string[] = [];
  for (const cancellation of checked.data.cancellations) {
    if (cancellation.marketplace !== adapter.id) {
      problems.push(
        `cancellation ${cancellation.orderId}: marketplace "${cancellation.marketplace}" is not the adapter id "${adapter.id}"`,
      );
    }
    // The schema takes any short string (a stored result must stay readable if a marketplace's clock
    // format drifts), but the contract is ISO-8601 with a zone: "05/03/2026 10:00" read in another
    // zone, or compared as text, puts the cancellation at the wrong time.
    if (cancellation.occurredAt !== null && !Timestamp.safeParse(cancellation.occurredAt).success) {
      problems.push(
        `cancellation ${cancellation.orderId}: occurredAt "${cancellation.occurredAt}" is not an ISO-8601 time with a zone (or null)`,
      );
    }
    const lineIds = new Set<string>();
    for (const line of cancellation.lines) {
      if (lineIds.has(line.lineId)) problems.push(`cancellation ${cancellation.orderId}: line ${line.lineId} appears twice`);
      lineIds.add(line.lineId);
    }
  }
  return problems;
}
