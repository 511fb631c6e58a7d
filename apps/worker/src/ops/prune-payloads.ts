import { setTimeout as delay } from "node:timers/promises";
import type { Store } from "../store/store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

// Events a step looks at. SQLite: 1,000 rows (and at most PRUNE_STEP_BYTES of bodies) under the one
// write lock, a few milliseconds. PostgreSQL locks only the rows it prunes, and its window also steps
// over bodies already dropped (NULL, not gone), so it takes larger steps.
const STEP = { sqlite: 1_000, postgres: 10_000 } as const;

export interface PruneRunOptions {
  now?: number;
  /** Events a step looks at; default by store. */
  step?: number;
  /** Wait between steps, so that a prune inside `restock serve` leaves its event loop to the intake. */
  pauseMs?: number;
  /** Stops between steps (worker shutdown); the result then has `complete: false`. */
  signal?: AbortSignal;
  /**
   * Start after this event id (an earlier run's `resumeAfter`); default: where the database says the
   * last run left off (Store.pruneResumePoint; 0, the oldest event, before any run).
   */
  afterId?: number;
  /** Called after every step with the bodies it dropped (a failed run still counts what it did). */
  onStep?: (pruned: number) => void;
}

export interface PruneResult {
  pruned: number;
  decidedBefore: number;
  /** False when `signal` stopped the run before its last step. */
  complete: boolean;
  /**
   * Where a later run with a later cutoff can start (its `afterId`): every event up to here has lost
   * its body or keeps it for good (a dead letter's). PostgreSQL keeps pruned rows (body NULL), so
   * starting here spares reading them again.
   */
  resumeAfter: number;
}

/**
 * Drops the raw bodies of events decided more than `olderThanDays` days before `now`, a step at a
 * time (Store.prunePayloads), so a running worker's intake and processing go on between steps.
 * Decisions, the ledger, dead letters' events and the inbox rows themselves stay. The run's
 * `resumeAfter` is kept in the database, where the next run starts, in this process or another
 * (`restock prune` from cron), stopped part-way or not.
 */
export async function prunePayloads(
  store: Store,
  olderThanDays: number,
  { now = Date.now(), step = STEP[store.kind], pauseMs = 0, signal, afterId, onStep }: PruneRunOptions = {},
): Promise<PruneResult> {
  const saved = await store.pruneResumePoint();
  const startAfter = afterId ?? saved;
  const result = await pruneRun(store, now - olderThanDays * DAY_MS, { step, pauseMs, signal, onStep }, startAfter);
  // Only a run that looked at every event after the saved point can move it: one started further on
  // (an explicit afterId) knows nothing of the events it passed over.
  if (startAfter <= saved) await store.advancePruneResumePoint(result.resumeAfter);
  return result;
}

async function pruneRun(
  store: Store,
  decidedBefore: number,
  {
    step,
    pauseMs,
    signal,
    onStep,
  }: { step: number; pauseMs: number; signal?: AbortSignal | undefined; onStep?: PruneRunOptions["onStep"] },
  startAfter: number,
): Promise<PruneResult> {
  let pruned = 0;
  let firstWaitingId: number | null = null;
  let afterId: number | null = startAfter;
  let lastStart = startAfter;
  // The next run starts at the run's first waiting event (windows come in id order, so the first a
  // step reports is the run's first), and no later than where its last window started: on PostgreSQL
  // an id is drawn before its event commits, so a delivery committing while this run passes could
  // have a smaller id than a waiting event the run saw. It can only land in the last window: every
  // earlier one ended on an event received before the cutoff, days before any delivery in flight.
  const result = (complete: boolean, next: number) => ({
    pruned,
    decidedBefore,
    complete,
    resumeAfter: firstWaitingId !== null ? Math.min(firstWaitingId - 1, next) : next,
  });
  while (afterId !== null) {
    if (signal?.aborted) return result(false, afterId);
    lastStart = afterId;
    const done = await store.prunePayloads({ decidedBefore, afterId, limit: step });
    pruned += done.pruned;
    onStep?.(done.pruned);
    firstWaitingId ??= done.firstWaitingId;
    afterId = done.nextAfterId;
    if (afterId !== null && pauseMs > 0) await delay(pauseMs);
  }
  return result(true, lastStart);
}
