import { setTimeout as delay } from "node:timers/promises";
import type { Store } from "../store/store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

// Events a step looks at. SQLite: 1,000 rows under the one write lock, a few milliseconds. PostgreSQL
// locks only the rows it prunes, and its window also steps over bodies already dropped (NULL, not
// gone), so it takes larger steps.
const STEP = { sqlite: 1_000, postgres: 10_000 } as const;

export interface PruneRunOptions {
  now?: number;
  /** Events a step looks at; default by store. */
  step?: number;
  /** Wait between steps, so that a prune inside `restock serve` leaves its event loop to the intake. */
  pauseMs?: number;
  /** Stops between steps (worker shutdown); the result then has `complete: false`. */
  signal?: AbortSignal;
}

export interface PruneResult {
  pruned: number;
  decidedBefore: number;
  /** False when `signal` stopped the run before its last step. */
  complete: boolean;
}

/**
 * Drops the raw bodies of events decided more than `olderThanDays` days before `now`, a step at a
 * time (Store.prunePayloads), so a running worker's intake and processing go on between steps.
 * Decisions, the ledger, dead letters' events and the inbox rows themselves stay.
 */
export async function prunePayloads(
  store: Store,
  olderThanDays: number,
  { now = Date.now(), step = STEP[store.kind], pauseMs = 0, signal }: PruneRunOptions = {},
): Promise<PruneResult> {
  const decidedBefore = now - olderThanDays * DAY_MS;
  let pruned = 0;
  let afterId: number | null = 0;
  while (afterId !== null) {
    if (signal?.aborted) return { pruned, decidedBefore, complete: false };
    const done = await store.prunePayloads({ decidedBefore, afterId, limit: step });
    pruned += done.pruned;
    afterId = done.nextAfterId;
    if (afterId !== null && pauseMs > 0) await delay(pauseMs);
  }
  return { pruned, decidedBefore, complete: true };
}
