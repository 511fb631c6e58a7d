import type { Engine } from "@restock/core";
import { LabelTally } from "../ops/label-tally.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { Store } from "../store/store.js";
import type { BatchReport } from "../store/types.js";
import { backoffDelay } from "./backoff.js";
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
  /** Write outbox rows (a host sink is configured). */
  outbox: boolean;
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
  metrics: Metrics;
  logger: Logger;
  options: ProcessorOptions;
  /** Called after a batch that wrote adjustments (the sink delivers them). */
  onAdjustments?: () => void;
  now?: () => number;
}

/** Drains the durable inbox in batches: one transaction per batch (see Store.processBatch). */
export function createProcessor({ store, engine, metrics, logger, options, onAdjustments, now = Date.now }: ProcessorDeps): Processor {
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
    const startedAt = now();
    const stopTimer = metrics.batchDuration.startTimer();
    const report = await store.processBatch(
      {
        limit: options.batchSize,
        now: startedAt,
        maxAttempts: options.maxAttempts,
        retryDelayMs: (attempts) => backoffDelay(attempts, options.retryBaseMs, options.retryMaxMs),
        outbox: options.outbox,
      },
      evaluate,
    );
    stopTimer();
    record(report, now());
    if (report.adjustments > 0) onAdjustments?.();
    return report;
  }

  function record(report: BatchReport, committedAt: number): void {
    const processed = new LabelTally<"marketplace" | "result">();
    const restored = new LabelTally<"marketplace">();
    const decisions = new LabelTally<"outcome" | "rule">();
    const unknownReasons = new LabelTally<"marketplace" | "code">();
    for (const applied of report.events) {
      const { marketplace } = applied.event;
      processed.add({ marketplace, result: applied.status });
      if (applied.status === "retry" || applied.status === "dead") {
        const error = applied.evaluation && !applied.evaluation.ok ? applied.evaluation.error : undefined;
        const log = applied.status === "dead" ? logger.error.bind(logger) : logger.warn.bind(logger);
        log(
          { eventId: applied.event.id, integrationId: applied.event.integrationId, attempts: applied.event.attempts + 1, error },
          `event ${applied.status === "dead" ? "dead-lettered" : "will be retried"}`,
        );
        continue;
      }
      metrics.processingLatency.observe({ marketplace }, Math.max(0, committedAt - applied.event.receivedAt) / 1000);
      if (applied.unitsRestored > 0) restored.add({ marketplace }, applied.unitsRestored);
      if (!applied.evaluation?.ok) continue;
      for (const order of applied.evaluation.orders) {
        for (const decision of order.decisions) {
          decisions.add({ outcome: decision.outcome, rule: decision.rule });
          if (decision.reasonOrigin === "unknown") unknownReasons.add({ marketplace, code: decision.reasonCode ?? "" });
        }
      }
    }
    processed.flushTo(metrics.eventsProcessed);
    restored.flushTo(metrics.unitsRestored);
    decisions.flushTo(metrics.decisions);
    unknownReasons.flushTo(metrics.unknownReasons);
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      let claimed = 0;
      try {
        claimed = (await runBatch()).claimed;
      } catch (error) {
        logger.error({ err: error }, "processing batch failed; retrying after the poll interval");
      }
      if (!running) break;
      if (claimed >= options.batchSize) {
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
