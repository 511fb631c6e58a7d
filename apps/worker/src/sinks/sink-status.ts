import type { Store } from "../store/store.js";
import type { UndeliveredAdjustment } from "../store/types.js";
import { idempotencyKey } from "./idempotency-key.js";

/**
 * What turned the host sink's switch (host_sink.changed_by). An operator's `restock sink disable`
 * is kept by a process that starts with a sink URL (the others it turns on); so the text is fixed.
 */
export const HOST_SINK_TURNED_BY = {
  start: "a process with a sink URL started",
  enable: "restock sink enable",
  disable: "restock sink disable",
} as const;

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

/**
 * What the host has not acknowledged, oldest first, as the CLI and the API show it: each adjustment
 * with the Idempotency-Key it is sent under (what the host's own records know it by), then its
 * delivery attempts.
 */
export async function readUndelivered(store: Store, afterId: number, limit: number) {
  return (await store.listUndelivered(afterId, limit)).map(undeliveredView);
}

function undeliveredView({ adjustment, attempts, lastError, nextAttemptAt, keyWithTime }: UndeliveredAdjustment) {
  return {
    ...adjustment,
    createdAt: new Date(adjustment.createdAt).toISOString(),
    idempotencyKey: idempotencyKey(adjustment, keyWithTime),
    attempts,
    lastError,
    nextAttemptAt: new Date(nextAttemptAt).toISOString(),
  };
}
