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
  /** Start after this event id (an earlier run's `resumeAfter`); default 0, the oldest event. */
  afterId?: number;
}

export interface PruneResult {
  pruned: number;
  decidedBefore: number;
  /** False when `signal` stopped the run before its last step. */
  complete: boolean;
  /**
   * Where a later run with a later cutoff can start (its `afterId`): every event up to here has lost
   * its body or keeps it for good. PostgreSQL keeps pruned rows (body NULL), so starting here spares
   * reading them again.
   */
  resumeAfter: number;
}

/**
 * Drops the raw bodies of events decided more than `olderThanDays` days before `now`, a step at a
 * time (Store.prunePayloads), so a running worker's intake and processing go on between steps.
 * Decisions, the ledger, dead letters' events and the inbox rows themselves stay.
 */
export async function prunePayloads(
  store: Store,
  olderThanDays: number,
  { now = Date.now(), step = STEP[store.kind], pauseMs = 0, signal, afterId: startAfter = 0 }: PruneRunOptions = {},
): Promise<PruneResult> {
  const decidedBefore = now - olderThanDays * DAY_MS;
  let pruned = 0;
  let firstWaitingId: number | null = null;
  let afterId: number | null = startAfter;
  let lastStart = startAfter;
  // Windows come in id order, so the first waiting event a step reports is the run's first. On
  // PostgreSQL an id is drawn before its event commits: a delivery committing while a run passes its
  // id, with every earlier event already pruned, is not seen by later runs of this process and keeps
  // its body (a new process, or `restock prune`, starts from the oldest event again).
  const result = (complete: boolean, next: number) => ({
    pruned,
    decidedBefore,
    complete,
    resumeAfter: firstWaitingId !== null ? firstWaitingId - 1 : next,
  });
  while (afterId !== null) {
    if (signal?.aborted) return result(false, afterId);
    lastStart = afterId;
    const done = await store.prunePayloads({ decidedBefore, afterId, limit: step });
    pruned += done.pruned;
    firstWaitingId ??= done.firstWaitingId;
    afterId = done.nextAfterId;
    if (afterId !== null && pauseMs > 0) await delay(pauseMs);
  }
  // No event waits: the next run reads the last window again, as the step does not say where that
  // window ended.
  return result(true, lastStart);
}
