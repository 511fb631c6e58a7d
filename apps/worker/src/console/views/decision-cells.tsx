import type { LineDecision } from "@restock/core";
import { explainDecision } from "../explain.js";

type Shown = Pick<LineDecision, "restore" | "rule" | "reasonCode" | "reasonLabel" | "reasonDerived" | "reasonOrigin">;

/** Restored / Not restored, and why in plain words. */
export function DecisionCell({ decision, marketplace }: { decision: Shown; marketplace: string }) {
  return (
    <td>
      <span class={`badge ${decision.restore ? "decision-restored" : "decision-withheld"}`}>
        {decision.restore ? "Restored" : "Not restored"}
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
