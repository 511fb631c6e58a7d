import { type LineDecision, restorableQuantity } from "@restock/core";
import { explainApplied, explainDecision, visibleControls } from "../explain.js";

type Shown = Pick<
  LineDecision,
  "restore" | "quantity" | "parts" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived" | "reasonOrigin"
>;

/**
 * Restored / Partly restored (a line cancelled under several reasons) / Not restored, and why in
 * plain words. With `restoredNow` (a decision the ledger applied), a restoring decision that added no
 * units (the line's total had not grown, or its new units' reasons do not restore) is "Nothing new to
 * restore": "Restored" over units withheld earlier said stock went back that never did.
 */
export function DecisionCell({
  decision,
  marketplace,
  restoredNow,
  tried,
}: {
  decision: Shown;
  marketplace: string;
  restoredNow?: number;
  /** Decided under the mode chosen on Try a payload. */
  tried?: boolean;
}) {
  const restorable = restorableQuantity(decision);
  // A line in parts whose restoring parts' units did not all go back now is partly restored: "Restored"
  // said 3 units went back where 1 did (2 were withheld under Never earlier).
  const partly = restorable < decision.quantity || (decision.parts !== undefined && restoredNow !== undefined && restoredNow < restorable);
  const [badge, label] =
    restorable === 0
      ? ["decision-withheld", "Not restored"]
      : restoredNow === 0
        ? ["", "Nothing new to restore"]
        : ["decision-restored", partly ? "Partly restored" : "Restored"];
  return (
    <td>
      <span class={`badge ${badge}`.trim()}>{label}</span>
      <p class="explanation">
        {restoredNow === undefined ? explainDecision(decision, marketplace, { tried }) : explainApplied(decision, marketplace, restoredNow)}
      </p>
    </td>
  );
}

/**
 * The reason code as sent; a code the marketplace's table does not list is highlighted, so the table
 * can be extended. One the adapter inferred (no code was sent) says so: shown bare, it read as the
 * marketplace's own.
 */
export function ReasonCell({ decision }: { decision: Shown }) {
  if (decision.reasonCode === null) return <td class="muted">No reason sent</td>;
  return (
    <td>
      <code>{visibleControls(decision.reasonCode)}</code>
      {decision.reasonDerived && <span class="muted small"> (inferred: no code was sent)</span>}
      {decision.reasonOrigin === "unknown" ? (
        <mark class="unknown-code">Unknown code</mark>
      ) : (
        <div class="muted small">
          {decision.reasonLabel} · {decision.reasonOrigin === "spec" ? "spec" : "extended"}
        </div>
      )}
    </td>
  );
}
