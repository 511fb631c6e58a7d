import type { LineDecision } from "@restock/core";
import type { ClaimedEvent } from "./types.js";

/**
 * A decisions row's values, in the column order both stores write: event_id, integration_id,
 * marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode, outcome,
 * rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version.
 */
export function decisionRowValues(
  event: ClaimedEvent,
  orderId: string,
  decision: LineDecision,
  restoredNow: number,
  adapter: { adapterId: string; adapterVersion: string } | undefined,
): unknown[] {
  return [
    event.id,
    event.integrationId,
    event.marketplace,
    event.account,
    orderId,
    decision.lineId,
    decision.sku,
    decision.quantity,
    restoredNow,
    decision.restore ? 1 : 0,
    decision.mode,
    decision.outcome,
    decision.rule,
    decision.reasonCode,
    decision.reasonLabel,
    decision.reasonOrigin,
    decision.reasonDerived ? 1 : 0,
    adapter?.adapterId,
    adapter?.adapterVersion,
    decision.parts === undefined ? null : JSON.stringify(decision.parts),
  ];
}
