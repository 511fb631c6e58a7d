import type { IgnoreReason, LineDecision, PartDecision } from "@restock/core";

type Explainable = Pick<LineDecision, "restore" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived"> & {
  parts?: Pick<PartDecision, "quantity" | "rule" | "reasonCode" | "reasonLabel">[];
};

/**
 * A decision in a seller's words, from the rule that fired (rule book §2): "Not restored: Smart
 * Logic, Amazon reason No Inventory means the item is no longer available".
 */
export function explainDecision(decision: Explainable, marketplace: string): string {
  // A line cancelled in parts under several reasons: each part was decided on its own reason.
  if (decision.parts !== undefined) {
    return decision.parts
      .map(
        (part) =>
          `${part.quantity} ${part.quantity === 1 ? "unit" : "units"}: ${explainDecision({ ...part, restore: false, reasonDerived: false }, marketplace)}`,
      )
      .join("; ");
  }
  const reason = `${marketplace} reason ${decision.reasonLabel ?? decision.reasonCode}`;
  // Adapters infer a reason from many things (Amazon's buyer-request flag, Newegg's auto-void flag, a Walmart
  // webhook's sub-event, an eBay cancellation for non-payment): say what they share, not one of them.
  const derived = decision.reasonDerived ? " (no reason code was sent: the reason was inferred from the payload)" : "";
  switch (decision.rule) {
    case "always":
      return "Restored: this integration is set to Always Restore";
    case "never":
      return "Not restored: this integration is set to Never Restore";
    case "smart.restore":
      return `Restored: Smart Logic, ${reason} means the cancellation was not caused by a stock problem${derived}`;
    case "smart.do_not_restore":
      return `Not restored: Smart Logic, ${reason} means the item is no longer available${derived}`;
    case "smart.ambiguous":
      return `Restored: Smart Logic, ${reason} does not say whether the item is still available, and such cancellations are restored${derived}`;
    case "smart.no_reason":
      return "Restored: Smart Logic, no reason was sent";
    case "smart.unknown_reason":
      return `Restored: Smart Logic, reason code ${decision.reasonCode} is not in ${marketplace}'s table, treated as ambiguous`;
  }
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
