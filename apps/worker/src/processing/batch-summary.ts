import { incrementBy, LabelTally, type TallyEntries } from "../ops/label-tally.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { BatchReport } from "../store/types.js";

/**
 * What a processed batch adds to the metrics and the log, as plain data: the processing thread
 * summarizes its batches and posts the summaries to the main thread, which owns `/metrics` and
 * the logger; in-process processing records its summaries at once.
 */
export interface BatchSummary {
  adjustments: number;
  durationSeconds: number;
  processed: TallyEntries<"marketplace" | "result">;
  restored: TallyEntries<"marketplace">;
  decisions: TallyEntries<"outcome" | "rule">;
  unknownReasons: TallyEntries<"marketplace" | "code">;
  /** Seconds from durable intake to the batch's commit, per decided event. */
  latencies: [marketplace: string, seconds: number][];
  /** Events that failed: retried later, or dead-lettered. */
  failures: { eventId: number; integrationId: string; attempts: number; error: string | undefined; dead: boolean }[];
}

export function summarizeBatch(report: BatchReport, committedAt: number, durationSeconds: number): BatchSummary {
  const processed = new LabelTally<"marketplace" | "result">();
  const restored = new LabelTally<"marketplace">();
  const decisions = new LabelTally<"outcome" | "rule">();
  const unknownReasons = new LabelTally<"marketplace" | "code">();
  const latencies: BatchSummary["latencies"] = [];
  const failures: BatchSummary["failures"] = [];
  for (const applied of report.events) {
    const { marketplace } = applied.event;
    processed.add({ marketplace, result: applied.status });
    if (applied.status === "retry" || applied.status === "dead") {
      const error = applied.evaluation && !applied.evaluation.ok ? applied.evaluation.error : undefined;
      const { id: eventId, integrationId, attempts } = applied.event;
      failures.push({ eventId, integrationId, attempts: attempts + 1, error, dead: applied.status === "dead" });
      continue;
    }
    latencies.push([marketplace, Math.max(0, committedAt - applied.event.receivedAt) / 1000]);
    if (applied.unitsRestored > 0) restored.add({ marketplace }, applied.unitsRestored);
    if (!applied.evaluation?.ok) continue;
    for (const order of applied.evaluation.orders) {
      for (const decision of order.decisions) {
        decisions.add({ outcome: decision.outcome, rule: decision.rule });
        if (decision.reasonOrigin === "unknown") unknownReasons.add({ marketplace, code: decision.reasonCode ?? "" });
      }
    }
  }
  return {
    adjustments: report.adjustments,
    durationSeconds,
    processed: processed.entries(),
    restored: restored.entries(),
    decisions: decisions.entries(),
    unknownReasons: unknownReasons.entries(),
    latencies,
    failures,
  };
}

export function recordBatch(summary: BatchSummary, metrics: Metrics, logger: Logger): void {
  metrics.batchDuration.observe(summary.durationSeconds);
  incrementBy(metrics.eventsProcessed, summary.processed);
  incrementBy(metrics.unitsRestored, summary.restored);
  incrementBy(metrics.decisions, summary.decisions);
  for (const { labels, value } of summary.unknownReasons) {
    const marketplace = labels.marketplace ?? "";
    metrics.unknownReasons.inc({ marketplace, code: metrics.unknownReasonCode(marketplace, labels.code ?? "") }, value);
  }
  for (const [marketplace, seconds] of summary.latencies) metrics.processingLatency.observe({ marketplace }, seconds);
  for (const { dead, ...failure } of summary.failures) {
    if (dead) logger.error(failure, "event dead-lettered");
    else logger.warn(failure, "event will be retried");
  }
}
