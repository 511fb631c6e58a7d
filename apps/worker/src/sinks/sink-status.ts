import type { Store } from "../store/store.js";
import type { UndeliveredAdjustment } from "../store/types.js";

/** Whether this database queues adjustments for a host sink, and what the host has not acknowledged yet (CLI and HTTP). */
export async function readSinkStatus(store: Store) {
  const [state, undelivered, oldest] = await Promise.all([store.hostSink(), store.outboxDepth(), store.oldestUndeliveredAt()]);
  return {
    enabled: state.enabled,
    changedAt: new Date(state.changedAt).toISOString(),
    changedBy: state.changedBy,
    undelivered,
    oldestUndeliveredDecidedAt: oldest === null ? null : new Date(oldest).toISOString(),
  };
}

/** An undelivered adjustment as the CLI and the API show it: the adjustment, then its delivery attempts. */
export function undeliveredView({ adjustment, attempts, lastError, nextAttemptAt }: UndeliveredAdjustment) {
  return {
    ...adjustment,
    createdAt: new Date(adjustment.createdAt).toISOString(),
    attempts,
    lastError,
    nextAttemptAt: new Date(nextAttemptAt).toISOString(),
  };
}
