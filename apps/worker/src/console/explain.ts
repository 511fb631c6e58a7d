import type { IgnoreReason, LineDecision, PartDecision } from "@restock/core";

type Explainable = Pick<LineDecision, "restore" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived"> & {
  parts?: Pick<PartDecision, "quantity" | "restore" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived">[];
};

/** Bidirectional formatting controls (U+061C, U+200E/F, U+202A-E, U+2066-9). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A code as the sender wrote it, with its bidirectional controls shown as "[U+202E]": left in,
 * a right-to-left override reversed the rest of the sentence it sits in (the console's own words).
 */
export function visibleControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (control) => `[U+${control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}]`);
}

export interface ExplainOptions {
  /** Decided under a mode chosen on Try a payload, not an integration's: said so, as no integration is set to it. */
  tried?: boolean;
}

/**
 * A decision in a seller's words, from the rule that fired (rule book §2): "Not restored: Smart
 * Logic, Amazon reason No Inventory means the item is no longer available".
 */
export function explainDecision(decision: Explainable, marketplace: string, options: ExplainOptions = {}): string {
  // A line cancelled in parts under several reasons: each part was decided on its own reason.
  if (decision.parts !== undefined) {
    return decision.parts
      .map(
        (part) =>
          `${part.quantity} ${part.quantity === 1 ? "unit" : "units"}: ${explainDecision({ ...part, restore: false, reasonDerived: part.reasonDerived === true }, marketplace, options)}`,
      )
      .join("; ");
  }
  const code = decision.reasonCode === null ? null : visibleControls(decision.reasonCode);
  const reason = `${marketplace} reason ${decision.reasonLabel ?? code}`;
  // Adapters infer a reason from many things (Amazon's buyer-request flag, Newegg's auto-void flag, a Walmart
  // webhook's sub-event, an eBay cancellation for non-payment): say what they share, not one of them.
  const derived = decision.reasonDerived ? " (no reason code was sent: the reason was inferred from the payload)" : "";
  switch (decision.rule) {
    case "always":
      return options.tried ? "Restored: the mode tried is Always Restore" : "Restored: this integration is set to Always Restore";
    case "never":
      return options.tried ? "Not restored: the mode tried is Never Restore" : "Not restored: this integration is set to Never Restore";
    case "smart.restore":
      return `Restored: Smart Logic, ${reason} means the cancellation was not caused by a stock problem${derived}`;
    case "smart.do_not_restore":
      return `Not restored: Smart Logic, ${reason} means the item is no longer available${derived}`;
    case "smart.ambiguous":
      return `Restored: Smart Logic, ${reason} does not say whether the item is still available, and such cancellations are restored${derived}`;
    case "smart.no_reason":
      return "Restored: Smart Logic, no reason was sent";
    case "smart.unknown_reason":
      return `Restored: Smart Logic, reason code ${code} is not in ${marketplace}'s table, treated as ambiguous`;
  }
}

const RESTORED = "Restored: ";

/**
 * A decision the ledger applied, with the units it added (`restoredNow`). A restoring decision of a
 * line (not one cancelled in parts) that added none came after earlier decisions had covered the
 * line's cumulative total (rule book §3): said so, not "Restored" over stock that did not move.
 */
export function explainApplied(decision: Explainable & { quantity: number }, marketplace: string, restoredNow: number): string {
  if (decision.parts !== undefined) return explainAppliedParts({ ...decision, parts: decision.parts }, marketplace, restoredNow);
  const explanation = explainDecision(decision, marketplace);
  if (restoredNow > 0 || !explanation.startsWith(RESTORED)) return explanation;
  const why = explanation.slice(RESTORED.length);
  const units =
    decision.quantity === 1
      ? "the 1 cancelled unit of this line was decided earlier"
      : `all ${decision.quantity} cancelled units of this line were decided earlier`;
  return `Nothing new to restore: ${units}. ${why.charAt(0).toUpperCase()}${why.slice(1)}`;
}

const unitCount = (n: number) => `${n} ${n === 1 ? "unit" : "units"}`;

/**
 * A line cancelled in parts, as the ledger applied it. When its restoring parts' units did not all
 * go back now (units the line's earlier decisions had processed, restored or withheld, under the
 * same or another reason), each part says what its reason decides, not "Restored": "2 units:
 * Restored" over units withheld under Never earlier said stock went back that never did.
 */
function explainAppliedParts(
  decision: Explainable & { quantity: number; parts: NonNullable<Explainable["parts"]> },
  marketplace: string,
  restoredNow: number,
): string {
  const restorable = decision.parts.reduce((sum, part) => sum + (part.restore ? part.quantity : 0), 0);
  const explanation = explainDecision(decision, marketplace);
  if (restorable === 0 || restoredNow >= restorable) return explanation;
  const byReason = decision.parts
    .map((part) => {
      const verdict = explainDecision({ ...part, reasonDerived: part.reasonDerived === true }, marketplace);
      const [word, why] = verdict.startsWith(RESTORED)
        ? ["to restore", verdict.slice(RESTORED.length)]
        : ["not to restore", verdict.slice(verdict.indexOf(": ") + 2)];
      return `${unitCount(part.quantity)} ${word} (${why})`;
    })
    .join("; ");
  const now =
    restoredNow === 0
      ? `Nothing new to restore: the ${unitCount(restorable)} to restore had been processed by earlier decisions of this line (restored or withheld).`
      : `${restoredNow} of the ${unitCount(restorable)} to restore went back now; the others had been processed by earlier decisions of this line (restored or withheld).`;
  return `${now} By reason: ${byReason}`;
}

const IGNORED: Record<IgnoreReason, string> = {
  not_a_cancellation: "the event does not cancel anything",
  cancel_requested: "a cancellation was requested but has not been completed",
  cancel_pending: "the cancellation is still pending",
  cancel_rejected: "the cancellation request was rejected",
  partial_refund: "it is a partial, money-only refund",
  fulfilled_by_marketplace: "the marketplace fulfils this order from its own stock",
};

/** Why an understood event moves no inventory (rule book §3). */
export function explainIgnored(reason: IgnoreReason): string {
  return `Ignored: ${IGNORED[reason]}. No inventory changes.`;
}
