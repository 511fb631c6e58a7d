import { type LineDecision, restorableQuantity } from "@restock/core";

export type AdvancedDecision = Pick<LineDecision, "quantity" | "restore" | "parts">;

/**
 * The rule book's cumulative rule (§3): an event reports the TOTAL cancelled so far on a line, so
 * only the increase over what was already processed can restore; a duplicate or an older total
 * restores nothing. A withheld decision still advances the processed quantity, so those units can
 * never be restored later by a different reason.
 *
 * A line cancelled under several reasons (`decision.parts`) restores no more than its restoring
 * parts hold: of the increase, only what those parts hold beyond `restoredSoFar` (the units
 * the line has restored already). That is exact whichever part's units arrived first: 2 units
 * cancelled at the customer's request and then 1 out of stock restore 2, and so does the reverse.
 * `restoredSoFar` is read only for such lines: with one reason the increase is all or nothing.
 */
export function advanceLine(processed: number, decision: AdvancedDecision, restoredSoFar = 0): { processed: number; restoredNow: number } {
  const increase = decision.quantity > processed ? decision.quantity - processed : 0;
  const restorable = restorableQuantity(decision);
  const restoredNow =
    decision.parts === undefined ? (restorable > 0 ? increase : 0) : Math.min(increase, Math.max(0, restorable - restoredSoFar));
  return { processed: processed + increase, restoredNow };
}

/** Whether advancing the line needs the units it has restored so far. */
export function needsRestoredSoFar(decision: AdvancedDecision): boolean {
  return decision.parts !== undefined;
}
