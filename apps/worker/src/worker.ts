import { setTimeout as delay } from "node:timers/promises";
import type { Engine } from "@restock/core";
import type { FastifyInstance } from "fastify";
import { integrationsWithoutAdapter } from "./adapters/integrations-without-adapter.js";
import { type LoadedAdapter, loadAdapters } from "./adapters/load-adapters.js";
import { processingBatchSize, type WorkerConfig } from "./config/schema.js";
import { createHttpServer } from "./http/server.js";
import { createGroupCommit, type GroupCommit } from "./intake/group-commit.js";
import { createIntake, createUnstoredLog, type Intake } from "./intake/intake.js";
import { createLogger, type Logger } from "./ops/logger.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createOutageLog } from "./ops/outage-log.js";
import { createRetention } from "./ops/retention.js";
import { type BatchSummary, recordBatch } from "./processing/batch-summary.js";
import { createProcessor, type Processor } from "./processing/processor.js";
import { createThreadedProcessor } from "./processing/threaded-processor.js";
import { seedSamples } from "./settings/seed-samples.js";
import { createSettingsService, type SettingsService } from "./settings/settings-service.js";
import { createHttpSink, type HttpSink } from "./sinks/http-sink.js";
import { HOST_SINK_TURNED_BY } from "./sinks/sink-status.js";
import { openStore } from "./store/open-store.js";
import type { Store } from "./store/store.js";
import { isStoreUnavailable } from "./store/store-unavailable.js";

/** The HTTP server could not bind its address (the cause: EADDRINUSE, EACCES, EADDRNOTAVAIL…). */
export class ListenError extends Error {
  override readonly name = "ListenError";
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export interface Worker {
  readonly config: WorkerConfig;
  readonly logger: Logger;
  readonly store: Store;
  readonly engine: Engine;
  readonly adapters: readonly LoadedAdapter[];
  readonly metrics: Metrics;
  readonly commits: GroupCommit;
  readonly intake: Intake;
  readonly processor: Processor;
  readonly sink: HttpSink | undefined;
  readonly settings: SettingsService;
  readonly http: FastifyInstance;
  /**
   * Starts the processor and the sink (no HTTP). With a sink URL it first turns the database's host
   * sink on (Store.setHostSink), so that no batch decides an adjustment the sink would not hear of.
   */
  start(): Promise<void>;
  /** Starts everything (the background prune too, when configured) and listens; resolves with the address. */
  listen(): Promise<string>;
  /** Graceful stop: stop intake, commit what was acknowledged, finish the batch in flight, close the database. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  logger?: Logger;
  /** Another store; default: PostgreSQL at config.databaseUrl when set, else SQLite at config.dbPath. */
  store?: Store;
}

/**
 * How long a graceful stop waits for the HTTP requests in flight before it closes their connections:
 * a third of shutdownTimeoutMs (10 s of the default 30 s), the rest being for the commits, the batch
 * in flight and the database.
 */
export function httpCloseBoundMs(shutdownTimeoutMs: number): number {
  return Math.floor(shutdownTimeoutMs / 3);
}

/** Composes the worker from its configuration: adapters, store, intake, processing, sink, HTTP. */
export async function createWorker(config: WorkerConfig, options: WorkerOptions = {}): Promise<Worker> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const { engine, loaded } = await loadAdapters(config.adapters);
  const store = options.store ?? (await openStore(config, logger));
  const metrics = createMetrics(
    store,
    loaded.map(({ adapter }) => adapter.id),
  );
  const settings = createSettingsService(store, engine);
  if (config.seedSamples) await seedSamples(settings, engine);

  const sink = config.sink.url
    ? createHttpSink(store, { ...config.sink, url: config.sink.url }, metrics, logger.child({ component: "sink" }))
    : undefined;
  const processorLogger = logger.child({ component: "processor" });
  const onBatch = (summary: BatchSummary) => {
    recordBatch(summary, metrics, processorLogger);
    if (summary.adjustments > 0) sink?.wake();
  };
  const processorOptions = { ...config.processing, batchSize: processingBatchSize(config, store.kind) };
  const inProcess = createProcessor({ store, engine, logger: processorLogger, options: processorOptions, onBatch });
  // A thread opens the database file by its path: only for the SQLite store this worker opened itself.
  const threaded = config.processing.thread && options.store === undefined && store.kind === "sqlite" && config.dbPath !== ":memory:";
  const processor = threaded
    ? createThreadedProcessor({
        data: { dbPath: config.dbPath, adapters: config.adapters, logLevel: config.logLevel, options: processorOptions },
        inProcess,
        onBatch,
        logger: processorLogger,
      })
    : inProcess;
  const { bodiesDays, intervalMs } = config.retention;
  const retention =
    bodiesDays === undefined
      ? undefined
      : createRetention({ store, options: { bodiesDays, intervalMs }, metrics, logger: logger.child({ component: "retention" }) });
  const commits = createGroupCommit(store, () => processor.wake(), { writeTimeoutMs: config.writeTimeoutMs });
  const intakeLogger = logger.child({ component: "intake" });
  const unstored = createUnstoredLog(intakeLogger);
  const intake = createIntake({ store, lookup: settings.lookup, engine, commits, metrics, logger: intakeLogger, unstored });
  let stopping = false;
  // Listening, and start() not done: the database took no write yet (retried, below).
  let starting = false;
  const http = createHttpServer({
    config,
    logger,
    store,
    engine,
    adapters: loaded,
    intake,
    settings,
    metrics,
    notReady: () => (stopping ? "stopping" : starting ? "starting" : undefined),
  });

  let started: Promise<void> | undefined;
  // Aborted by stop(): ends a start that waits for the database.
  const stopSignal = new AbortController();
  function start({ waitForWrites = false }: { waitForWrites?: boolean } = {}): Promise<void> {
    started ??= (async () => {
      await (waitForWrites ? settleHostSinkWhenWritable() : settleHostSink());
      // Stopped while waiting for the database: its store is closed, or closing.
      if (stopping) return;
      await warnOfIntegrationsWithoutAdapter();
      // Stopped while the database answered: start nothing that stop() has already waited for.
      if (stopping) return;
      processor.start();
      // Other workers sharing the database commit events too: wake up for those at once.
      store.onInboxEvents?.(() => processor.wake());
      sink?.start();
    })();
    return started;
  }

  // A serve restarted while another process holds the SQLite write lock (a replay, a second serve,
  // an operator's shell), or while PostgreSQL is briefly away, listened, said it was ready, and
  // exited 1 ("cannot start") once the host sink's write timed out. It now waits for the database,
  // not ready meanwhile (its deliveries are stored once the database takes writes, or answered 503).
  async function settleHostSinkWhenWritable(): Promise<void> {
    const waiting = createOutageLog(logger, {
      level: "warn",
      first: "the database takes no writes yet (another process holds its write lock, or it cannot be reached): starting once it does",
      more: (n, cause) => `${n} more tries to start found the database taking no writes; the last cause: ${cause}`,
      recovered: "the database takes writes: starting",
    });
    for (let waitMs = 250; !stopping; waitMs = Math.min(waitMs * 2, 5_000)) {
      try {
        await settleHostSink();
        waiting.worked();
        return;
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        waiting.failed(error);
      }
      // stop() ends the wait at once.
      await delay(waitMs, undefined, { signal: stopSignal.signal }).catch(() => {});
    }
    waiting.flush();
  }

  // Whether adjustments are queued for a host is the database's state (host_sink), read by every
  // batch: a process with a sink URL turns it on, and one without (a replay, an instance set up
  // differently) queues them all the same for a process with one to deliver. Only 'restock sink
  // disable' turns it off, and a process starting with a URL keeps it off then: an operator's
  // choice is not undone by the next restart of an instance that still has the URL.
  async function settleHostSink(): Promise<void> {
    if (sink) {
      const before = await store.setHostSink(true, Date.now(), HOST_SINK_TURNED_BY.start, {
        keepOffIfTurnedBy: HOST_SINK_TURNED_BY.disable,
      });
      if (!before.enabled && before.changedBy === HOST_SINK_TURNED_BY.disable) {
        logger.warn(
          { hostSinkOffSince: new Date(before.changedAt).toISOString() },
          "host sink turned off by 'restock sink disable': this process delivers the adjustments queued before, and nothing decided from now on is queued until 'restock sink enable'",
        );
      } else if (!before.enabled) {
        logger.info(
          "host sink enabled for this database: from now on every process that decides events here queues their adjustments for it",
        );
      }
      return;
    }
    const state = await store.hostSink();
    if (state.enabled) {
      // A warning, not an error: instances that only decide, beside one that delivers, are a fine
      // set-up. Said because where no process has the URL the outbox only grows.
      logger.warn(
        { hostSinkSince: new Date(state.changedAt).toISOString(), turnedOnBy: state.changedBy },
        "this database queues adjustments for a host sink; this process has no sink URL (sink.url, RESTOCK_SINK_URL) and leaves their delivery to a process that has one. If none has, 'restock sink disable' stops the queueing",
      );
    }
  }

  // Said by every process that decides events (serve, replay), not only serve: a replay whose
  // integration's adapter was left out of its adapter list had every line refused, with exit 0 and
  // no word of why (the fallback, not the marketplace's adapter, read the payloads).
  async function warnOfIntegrationsWithoutAdapter(): Promise<void> {
    const found = integrationsWithoutAdapter(await settings.list(), loaded, engine);
    if (found)
      logger.warn({ integrations: found.named }, `integrations whose marketplace has no adapter of its own loaded: ${found.servedBy}`);
  }

  let stopped: Promise<void> | undefined;
  async function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      stopSignal.abort();
      // The prune stops at its next step while the requests in flight finish.
      const retentionStopped = retention?.stop();
      // Stops accepting connections and waits for requests in flight, whose commits then resolve.
      await closeHttp();
      await retentionStopped;
      await commits.flush();
      unstored.flush();
      await processor.stop();
      await sink?.stop();
      await store.close();
    })();
    return stopped;
  }

  // A client still sending its body (or one that never finishes) keeps its connection, and so
  // http.close(), open: Node checks requestTimeout only every 30 s. After a part of the shutdown
  // budget its connections are closed, so that the acknowledged commits, the batch in flight and
  // the database still get the rest of it. A request cut off this way was not answered: whatever
  // it had committed is kept, and its redelivery is caught as a duplicate by its body's hash.
  async function closeHttp(): Promise<void> {
    const closed = http.close();
    const boundMs = httpCloseBoundMs(config.shutdownTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), boundMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (inTime) return;
    logger.warn({ afterMs: boundMs }, "requests still open at shutdown (a client still sending its body?): closing their connections");
    http.server.closeAllConnections();
    await closed;
  }

  return {
    config,
    logger,
    store,
    engine,
    adapters: loaded,
    metrics,
    commits,
    intake,
    processor,
    sink,
    settings,
    http,
    start,
    async listen() {
      // Bound first: a worker that cannot listen (a busy port) stops before it has turned the host
      // sink on in the database or decided anything. Deliveries taken before start() wait in the inbox.
      let address: string;
      try {
        address = await http.listen({ host: config.host, port: config.port });
      } catch (error) {
        throw new ListenError(error);
      }
      starting = true;
      try {
        await start({ waitForWrites: true });
      } finally {
        starting = false;
      }
      // Serving only (a replay or another CLI command that starts a worker does not prune), and
      // only once listening: a worker that cannot listen stops without starting a prune.
      if (!stopping) retention?.start();
      return address;
    },
    stop,
  };
}
