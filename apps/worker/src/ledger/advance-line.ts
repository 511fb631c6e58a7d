import { type LineDecision, normalizeKey, restorableQuantity } from "@restock/core";

export type AdvancedDecision = Pick<LineDecision, "quantity" | "restore" | "parts">;

/**
 * Units per reason (reasonKey: "" for no reason) that a line's decisions so far have held: for each
 * reason, the most units any one of them held under it (mergeReasonUnits). What the line had
 * processed, by reason, whatever label its units carried last.
 */
export type ReasonUnits = ReadonlyMap<string, number>;

/** No decision yet on the line. */
export const NO_REASON_UNITS: ReasonUnits = new Map();

/**
 * One reason however it is spelled, as the rule book matches codes (exactly, then by the normalized
 * key): `CUSTOMER_REQUESTED_SELLER_TO_CANCEL` in one event and "Customer Requested Seller To Cancel"
 * in the next are the same units. Keyed by its spelling, the units restored under the first were not
 * the second's, and an out-of-stock unit was restored in their place. A code without a-z or 0-9
 * matches exactly only (as in classifyReason); the prefixes keep the two kinds of key apart.
 */
const reasonKey = (code: string | null | undefined): string => {
  if (code === null || code === undefined) return "";
  const key = normalizeKey(code);
  return key === "" ? `=${code}` : `~${key}`;
};

/** A decision's units by reason: its parts', or all its units under its one reason. */
export function reasonUnitsOf(decision: Pick<LineDecision, "quantity" | "reasonCode" | "parts">): ReasonUnits {
  const units = new Map<string, number>();
  if (decision.parts === undefined) units.set(reasonKey(decision.reasonCode), decision.quantity);
  else
    for (const part of decision.parts) units.set(reasonKey(part.reasonCode), (units.get(reasonKey(part.reasonCode)) ?? 0) + part.quantity);
  return units;
}

/**
 * Per reason, the larger of the two: a line's units by reason over all its decisions. Only its
 * highest decision's, and a relabel erased what came before it: 2 units restored at the customer's
 * request, then the same 2 reported out of stock (the same total), then 2 customer-requested and 1
 * out of stock: the 2 looked new beside the highest decision's out-of-stock units, and 1 more unit
 * was restored where the only new unit was out of stock.
 */
export function mergeReasonUnits(a: ReasonUnits, b: ReasonUnits): ReasonUnits {
  if (a.size === 0) return b;
  const merged = new Map(a);
  for (const [reason, units] of b) merged.set(reason, Math.max(merged.get(reason) ?? 0, units));
  return merged;
}

/** The same from a stored decision row (`reason_parts` is the parts' JSON, or null). */
export function reasonUnitsOfRow(reasonCode: string | null, quantity: number, reasonParts: string | null): ReasonUnits {
  const parts = reasonParts === null ? undefined : (JSON.parse(reasonParts) as { reasonCode: string | null; quantity: number }[]);
  return reasonUnitsOf({ quantity: Number(quantity), reasonCode, parts: parts as LineDecision["parts"] });
}

/**
 * The rule book's cumulative rule (§3): an event reports the TOTAL cancelled so far on a line, so
 * only the increase over what was already processed can restore; a duplicate or an older total
 * restores nothing. A withheld decision still advances the processed quantity, so those units can
 * never be restored later by a different reason.
 *
 * A line cancelled under several reasons (`decision.parts`) restores, of the increase, only what
 * its restoring parts hold beyond the units of those reasons the line had already processed
 * (`before`: its decisions' units by reason, mergeReasonUnits), restored or withheld. That is exact whichever
 * part's units arrived first (2 units cancelled at the customer's request and then 1 out of stock
 * restore 2, and so does the reverse), and when the mode or a reason's outcome changed between
 * events: units withheld under `never` are not restored later in their place by an out-of-stock
 * unit, and units restored under `always` do not use up the room of a restoring reason's new units.
 * Nor does it restore the increase's units of withheld reasons (beyond those reasons' units in
 * `before`) when units it had processed reappear under another label: those are not new units.
 * `before` is read only for such lines: with one reason the increase is all or nothing.
 */
export function advanceLine(
  processed: number,
  decision: AdvancedDecision,
  before: ReasonUnits = NO_REASON_UNITS,
): { processed: number; restoredNow: number } {
  const increase = decision.quantity > processed ? decision.quantity - processed : 0;
  if (decision.parts === undefined)
    return { processed: processed + increase, restoredNow: restorableQuantity(decision) > 0 ? increase : 0 };
  const restoring = reasonUnitsOf({ quantity: 0, reasonCode: null, parts: decision.parts.filter((part) => part.restore) });
  const withheld = reasonUnitsOf({ quantity: 0, reasonCode: null, parts: decision.parts.filter((part) => !part.restore) });
  let restorable = 0;
  let restorableBefore = 0;
  for (const [reason, units] of restoring) {
    restorable += units;
    restorableBefore += Math.min(before.get(reason) ?? 0, units);
  }
  // The increase's units of withheld reasons: never restored, whatever room the restoring parts seem
  // to have. Units the line had processed under another label (a Walmart webhook names the event as
  // the reason, its Orders API leaves it empty) look like new room of a restoring reason, and without
  // this the out-of-stock unit added beside them was restored in their place.
  let withheldNew = 0;
  for (const [reason, units] of withheld) withheldNew += Math.max(0, units - (before.get(reason) ?? 0));
  // Merged over the line's decisions, `before` counts a relabelled unit under each of its labels: never
  // more units than the line processed. Uncapped, 2 units relabelled from one restoring reason to
  // another (under Always) counted 4, and the line's 1 new unit was withheld.
  const room = Math.min(increase - withheldNew, restorable - Math.min(restorableBefore, processed));
  return { processed: processed + increase, restoredNow: Math.max(0, room) };
}

/** Whether advancing the line needs its decisions' units by reason. */
export function needsReasonUnits(decision: AdvancedDecision): boolean {
  return decision.parts !== undefined;
}
