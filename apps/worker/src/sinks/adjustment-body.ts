import type { AdjustmentRecord } from "../store/types.js";

/** What the host's inventory service receives for one adjustment. */
export function adjustmentBody(adjustment: AdjustmentRecord) {
  return {
    adjustmentId: adjustment.id,
    account: adjustment.account,
    sku: adjustment.sku,
    delta: adjustment.delta,
    integrationId: adjustment.integrationId,
    marketplace: adjustment.marketplace,
    orderId: adjustment.orderId,
    lineId: adjustment.lineId,
    eventId: adjustment.eventId,
    decisionId: adjustment.decisionId,
    createdAt: new Date(adjustment.createdAt).toISOString(),
  };
}
