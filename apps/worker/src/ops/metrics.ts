import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Store } from "../store/store.js";
import { boundedLabel, OTHER_LABEL } from "./bounded-label.js";
import { readInTime } from "./store-read.js";

export type Metrics = ReturnType<typeof createMetrics>;

/** The label values the help texts list: each counter's series is set to 0 at the start (createMetrics). */
const REJECTION_REASONS = [
  "invalid_payload",
  "unauthorized",
  "unsupported_media_type",
  "payload_too_large",
  "unknown_integration",
  "store_unavailable",
  "no_adapter",
] as const;
const SOURCES = ["webhook", "api", "replay", "retry"] as const;
const PROCESSED_RESULTS = ["done", "duplicate", "retry", "dead"] as const;

/**
 * The worker's Prometheus metrics, in a registry of its own so that several workers can share a
 * process (tests). `marketplaces` (the loaded adapters' ids) get their counters' series at 0 from
 * the start: a series that first appears at 25 (the first sink failures after a restart) is no
 * increase to rate() and increase(), so alerts missed each restart's first burst.
 */
export function createMetrics(store: Store, marketplaces: readonly string[] = []) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics = {
    registry,
    eventsReceived: new Counter({
      name: "restock_events_received_total",
      help: "Deliveries accepted into the inbox, by source (webhook, api, replay; retry: a dead letter's body sent through again)",
      labelNames: ["marketplace", "source"] as const,
      registers,
    }),
    eventsRejected: new Counter({
      name: "restock_events_rejected_total",
      help: "Deliveries refused at intake, by reason (invalid_payload, unauthorized, unsupported_media_type: 415, payload_too_large: 413, unknown_integration, store_unavailable: nothing stored, answered 503; no_adapter: no adapter loaded for the integration's marketplace, answered 503); marketplace unknown when the integration is not known",
      labelNames: ["marketplace", "reason"] as const,
      registers,
    }),
    eventsProcessed: new Counter({
      name: "restock_events_processed_total",
      help: "Inbox events processed, by result (done, duplicate, retry, dead)",
      labelNames: ["marketplace", "result"] as const,
      registers,
    }),
    decisions: new Counter({
      name: "restock_decisions_total",
      help: "Line decisions, by outcome and rule",
      labelNames: ["outcome", "rule"] as const,
      registers,
    }),
    unknownReasons: new Counter({
      name: "restock_unknown_reason_codes_total",
      help: `Line decisions whose reason code is not in the marketplace's table (the first 100 codes per marketplace; later ones as code="${OTHER_LABEL}")`,
      labelNames: ["marketplace", "code"] as const,
      registers,
    }),
    /** The `code` label of restock_unknown_reason_codes_total: bounded, as codes come from payloads. */
    unknownReasonCode: boundedLabel(),
    unitsRestored: new Counter({
      name: "restock_units_restored_total",
      help: "Units added back to inventory",
      labelNames: ["marketplace"] as const,
      registers,
    }),
    processingLatency: new Histogram({
      name: "restock_processing_latency_seconds",
      help: "Time from an event's durable intake to its decisions being committed",
      labelNames: ["marketplace"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    batchDuration: new Histogram({
      name: "restock_batch_duration_seconds",
      help: "Duration of one claim-and-apply batch transaction",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    sinkDeliveries: new Counter({
      name: "restock_sink_deliveries_total",
      help: "Adjustment deliveries to the host inventory service, by result (delivered, failed)",
      labelNames: ["result"] as const,
      registers,
    }),
    bodiesPruned: new Counter({
      name: "restock_bodies_pruned_total",
      help: "Raw bodies of decided events dropped by the background prune (retention.bodiesDays)",
      registers,
    }),
    inboxDepth: new Gauge({
      name: "restock_inbox_depth",
      help: "Inbox events waiting to be processed (including retries)",
      registers,
      async collect() {
        this.set(await readOrNaN(() => store.inboxDepth()));
      },
    }),
    inboxOldestAge: new Gauge({
      name: "restock_inbox_oldest_age_seconds",
      help: "How long the earliest event still waiting to be processed has waited (0 when none waits): a stalled processor, or events held behind one that keeps failing, show here first",
      registers,
      async collect() {
        // NaN (not read) stays NaN through the arithmetic; null means nothing waits.
        const oldest = await readOrNaN(() => store.oldestPendingAt());
        this.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
      },
    }),
    deadLettersOpen: new Gauge({
      name: "restock_dead_letters_open",
      help: "Dead letters waiting for someone (not retried): rejected deliveries and events processing gave up on, whose cancellations have not moved inventory",
      labelNames: ["kind"] as const,
      registers,
      async collect() {
        const counts = await readOrNaN(() => store.countOpenDeadLetters());
        for (const kind of ["rejected", "failed"] as const) this.set({ kind }, typeof counts === "number" ? counts : counts[kind]);
      },
    }),
    outboxDepth: new Gauge({
      name: "restock_outbox_depth",
      help: "Adjustments not yet delivered to the host inventory service",
      registers,
      async collect() {
        this.set(await readOrNaN(() => store.outboxDepth()));
      },
    }),
    outboxOldestAge: new Gauge({
      name: "restock_outbox_oldest_age_seconds",
      help: "How long ago the earliest adjustment not yet delivered to the host inventory service was decided (0 when none waits): a host that keeps failing, or a database whose host sink no running process delivers, show here",
      registers,
      async collect() {
        const oldest = await readOrNaN(() => store.oldestUndeliveredAt());
        this.set(oldest === null ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
      },
    }),
    storeUp: new Gauge({
      name: "restock_store_up",
      help: "Whether the database answered this scrape and takes writes (1) or not (0): while it does not answer, the gauges read from it are NaN; deliveries get 503",
      registers,
      async collect() {
        this.set((await readOrNaN(() => store.ping().then(() => 1))) === 1 ? 1 : 0);
      },
    }),
  };
  for (const marketplace of [...marketplaces, "unknown"]) {
    for (const reason of REJECTION_REASONS) metrics.eventsRejected.inc({ marketplace, reason }, 0);
  }
  for (const marketplace of marketplaces) {
    for (const source of SOURCES) metrics.eventsReceived.inc({ marketplace, source }, 0);
    for (const result of PROCESSED_RESULTS) metrics.eventsProcessed.inc({ marketplace, result }, 0);
    metrics.unitsRestored.inc({ marketplace }, 0);
  }
  for (const result of ["delivered", "failed"]) metrics.sinkDeliveries.inc({ result }, 0);
  return metrics;
}

/**
 * A scrape reads these gauges from the store; while the database is down the scrape still answers
 * (the counters and process metrics are this process's own, and matter most then), with NaN for
 * what could not be read in time (`restock_store_up` says so) instead of a stale or made-up figure.
 */
async function readOrNaN<T>(read: () => Promise<T>): Promise<T | number> {
  try {
    return await readInTime(read);
  } catch {
    return Number.NaN;
  }
}
