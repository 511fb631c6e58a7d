import { type LineDecision, restorableQuantity } from "@restock/core";
import { explainDecision } from "../explain.js";

type Shown = Pick<
  LineDecision,
  "restore" | "quantity" | "parts" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived" | "reasonOrigin"
>;

/** Restored / Partly restored (a line cancelled under several reasons) / Not restored, and why in plain words. */
export function DecisionCell({ decision, marketplace }: { decision: Shown; marketplace: string }) {
  const restorable = restorableQuantity(decision);
  return (
    <td>
      <span class={`badge ${restorable > 0 ? "decision-restored" : "decision-withheld"}`}>
        {restorable === 0 ? "Not restored" : restorable < decision.quantity ? "Partly restored" : "Restored"}
      </span>
      <p class="explanation">{explainDecision(decision, marketplace)}</p>
    </td>
  );
}

/** The reason code as sent; a code the marketplace's table does not list is highlighted, so the table can be extended. */
export function ReasonCell({ decision }: { decision: Shown }) {
  if (decision.reasonCode === null) return <td class="muted">No reason sent</td>;
  return (
    <td>
      <code>{decision.reasonCode}</code>
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
