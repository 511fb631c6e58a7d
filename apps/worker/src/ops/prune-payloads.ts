import type { Store } from "../store/store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneResult {
  pruned: number;
  decidedBefore: number;
}

/**
 * Drops the raw bodies of events decided more than `olderThanDays` days before `now`, in steps of
 * `step` events (one short transaction each, so a running worker's intake and processing go on
 * between them). Decisions, the ledger, dead letters and the inbox rows themselves stay.
 */
export async function prunePayloads(store: Store, olderThanDays: number, now = Date.now(), step = 1000): Promise<PruneResult> {
  const decidedBefore = now - olderThanDays * DAY_MS;
  let pruned = 0;
  let afterId = 0;
  for (;;) {
    const done = await store.prunePayloads({ decidedBefore, afterId, limit: step });
    pruned += done.pruned;
    if (done.pruned < step || done.lastEventId === null) return { pruned, decidedBefore };
    afterId = done.lastEventId;
  }
}
