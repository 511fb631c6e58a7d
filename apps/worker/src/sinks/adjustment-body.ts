import type { AdjustmentRecord } from "../store/types.js";

/**
 * What the host's inventory service receives for one adjustment. `lineRestoredTotal`: the units
 * restored on its line so far, this delta included (OutboxItem.lineRestoredTotal).
 */
export function adjustmentBody(adjustment: AdjustmentRecord, lineRestoredTotal: number) {
  return {
    adjustmentId: adjustment.id,
    account: adjustment.account,
    sku: adjustment.sku,
    delta: adjustment.delta,
    integrationId: adjustment.integrationId,
    marketplace: adjustment.marketplace,
    orderId: adjustment.orderId,
    lineId: adjustment.lineId,
    lineRestoredTotal,
    eventId: adjustment.eventId,
    decisionId: adjustment.decisionId,
    createdAt: new Date(adjustment.createdAt).toISOString(),
  };
}
