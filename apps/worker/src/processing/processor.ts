import type { Engine } from "@restock/core";
import type { Logger } from "../ops/logger.js";
import { createOutageLog } from "../ops/outage-log.js";
import type { Store } from "../store/store.js";
import { isStoreUnavailable } from "../store/store-unavailable.js";
import { type BatchReport, CLOCK_AHEAD_MARGIN_MS } from "../store/types.js";
import { backoffDelay } from "./backoff.js";
import { type BatchSummary, summarizeBatch } from "./batch-summary.js";
import { createEventEvaluator } from "./evaluate-event.js";

export interface ProcessorOptions {
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often an idle processor looks for retries that became due. */
  pollMs: number;
  /** After a wake-up, how long to wait for more events before claiming a batch. */
  lingerMs: number;
}

export interface Processor {
  start(): void;
  /** Stops after the batch in flight. */
  stop(): Promise<void>;
  /** New events were committed: run now instead of at the next poll. */
  wake(): void;
  /** One claim-and-apply batch. */
  runBatch(): Promise<BatchReport>;
  /** Runs batches until no event is due (retries waiting for later stay pending). */
  drain(): Promise<void>;
}

export interface ProcessorDeps {
  store: Store;
  engine: Engine;
  logger: Logger;
  options: ProcessorOptions;
  /** Called after every batch that claimed events, with what it adds to the metrics and the log (see recordBatch). */
  onBatch: (summary: BatchSummary) => void;
  now?: () => number;
}

/** Drains the durable inbox in batches: one transaction per batch (see Store.processBatch). */
export function createProcessor({ store, engine, logger, options, onBatch, now = Date.now }: ProcessorDeps): Processor {
  // A database that is down fails every poll: one line a minute, not one a poll (isStoreUnavailable).
  const failures = createOutageLog(logger, {
    first: "processing batch failed; retrying after the poll interval",
    more: (n, cause) => `${n} more processing batches failed; the last cause: ${cause}`,
    recovered: "processing batches go through again",
  });
  const evaluate = createEventEvaluator(engine);
  let running = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  // Set by wake() while a round is running, so the wake-up is not lost.
  let woken = false;
  // Batches never overlap, whether started by the loop or by drain().
  let tail: Promise<unknown> = Promise.resolve();

  function runBatch(): Promise<BatchReport> {
    const next = tail.then(batch, batch);
    tail = next.catch(() => {});
    return next;
  }

  async function batch(): Promise<BatchReport> {
    const startedAt = performance.now();
    const report = await store.processBatch(
      {
        limit: options.batchSize,
        now: now(),
        maxAttempts: options.maxAttempts,
        retryDelayMs: (attempts) => backoffDelay(attempts, options.retryBaseMs, options.retryMaxMs),
        maxRetryDelayMs: options.retryMaxMs + CLOCK_AHEAD_MARGIN_MS,
      },
      evaluate,
    );
    // An empty poll (nothing due) adds nothing: no events, no adjustments, and its duration is not a
    // batch's (restock_batch_duration_seconds would be mostly idle polls, one every pollMs).
    if (report.claimed > 0) onBatch(summarizeBatch(report, now(), (performance.now() - startedAt) / 1000));
    return report;
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      let claimed = 0;
      let more = false;
      try {
        ({ claimed, more = false } = await runBatch());
        failures.worked();
      } catch (error) {
        // A database that is down fails every poll alike: summed up. Anything else (a bug, a
        // constraint) is said each time, with its stack, not hidden behind an outage's first line.
        if (isStoreUnavailable(error)) failures.failed(error);
        else logger.error({ err: error }, "processing batch failed; retrying after the poll interval");
      }
      if (!running) break;
      if (claimed >= options.batchSize || more) {
        // A full batch: more is waiting. Let intake and HTTP run, then go on.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (!woken) {
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
          timer = setTimeout(resolve, options.pollMs);
        });
        clearTimeout(timer);
        wakeUp = undefined;
      }
      // Linger: events committed close together become one batch (one transaction, one fsync), not many.
      if (running && options.lingerMs > 0) await new Promise((resolve) => setTimeout(resolve, options.lingerMs));
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      await tail;
      failures.flush();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    runBatch,
    async drain() {
      while ((await runBatch()).claimed > 0) {}
    },
  };
}
