import type { Store } from "../store/store.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import { prunePayloads } from "./prune-payloads.js";

export interface RetentionOptions {
  /** Raw bodies of events decided more than this many days ago are dropped. */
  bodiesDays: number;
  /** Time from the end of one run to the start of the next. */
  intervalMs: number;
}

export interface Retention {
  /** Runs a prune now, then every intervalMs. */
  start(): void;
  /** Stops after the step in flight. */
  stop(): Promise<void>;
}

// Inside `restock serve` a SQLite step runs on the event loop that acknowledges webhooks: smaller
// steps than the CLI's, with a pause between them, so intake answers between steps. PostgreSQL steps
// are statements on the server, locking only the rows they prune, so they keep the CLI's size.
const BACKGROUND = { sqlite: { step: 200, pauseMs: 20 }, postgres: { step: 10_000, pauseMs: 20 } } as const;

export interface RetentionDeps {
  store: Store;
  options: RetentionOptions;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}

/** `restock serve`'s background prune (what `restock prune --older-than` does), on a timer. */
export function createRetention({ store, options, metrics, logger, now = Date.now }: RetentionDeps): Retention {
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function runOnce(): Promise<void> {
    const startedAt = performance.now();
    let pruned = 0;
    try {
      const result = await prunePayloads(store, options.bodiesDays, {
        now: now(),
        ...BACKGROUND[store.kind],
        signal: stopping.signal,
        onStep(step) {
          pruned += step;
          metrics.bodiesPruned.inc(step);
        },
      });
      logger.info(
        {
          pruned: result.pruned,
          decidedBefore: new Date(result.decidedBefore).toISOString(),
          complete: result.complete,
          seconds: Math.round(performance.now() - startedAt) / 1000,
        },
        "pruned the raw bodies of decided events",
      );
    } catch (error) {
      // The database was busy or gone for a moment: nothing is lost, the next run goes on.
      logger.error({ err: error, pruned }, "pruning raw bodies failed; trying again at the next interval");
    }
  }

  function schedule(delayMs: number): void {
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined;
        if (!stopping.signal.aborted) schedule(options.intervalMs);
      });
    }, delayMs);
    // A pending run alone does not keep the process alive.
    timer.unref();
  }

  return {
    start() {
      if (timer || stopping.signal.aborted) return;
      schedule(0);
    },
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
