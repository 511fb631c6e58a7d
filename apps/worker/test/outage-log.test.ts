import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, expect, test, vi } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { opsRoutes } from "../src/http/ops-routes.js";
import { createGroupCommit, type GroupCommit } from "../src/intake/group-commit.js";
import { createIntake, createUnstoredLog } from "../src/intake/intake.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { createProcessor } from "../src/processing/processor.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { canonicalCancellation } from "./helpers/payloads.js";
import { createIntegrations } from "./support/create-integrations.js";

const dir = mkdtempSync(join(tmpdir(), "restock-unstored-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A logger writing its JSON lines here, at `level` and above. */
function capture(level = "debug") {
  const lines: { level: number; msg: string; failed?: number; lastCause?: string }[] = [];
  const logger = createLogger(level, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines, at: (min: number) => lines.filter((line) => line.level >= min) };
}

const ERROR = 50;
const WARN = 40;
const INFO = 30;
const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

// While the database is down every delivery is refused: a line each, with its stack, was 5,641
// lines (4 MB) in 5 s from 32 senders, burying the rest of the log.
test("a database outage is one error line a window and a summary of the rest, each refusal still at debug", () => {
  let clock = 0;
  const { logger, at, lines } = capture();
  const log = createUnstoredLog(logger, 60_000, () => clock);
  for (let i = 0; i < 1_000; i++) {
    clock += 10;
    log.failed(busy());
  }
  expect(at(ERROR).map((line) => line.msg)).toEqual([
    "a delivery could not be stored; it was answered 503 (more in the next 60 s are summed up)",
  ]);
  expect(lines.filter((line) => line.level < INFO)).toHaveLength(999);
  log.flush();
  expect(at(ERROR).at(-1)).toMatchObject({
    failed: 999,
    msg: "999 more deliveries could not be stored and were answered 503; the last cause: database is locked",
  });
  log.worked();
  log.worked();
  expect(
    at(INFO)
      .filter((line) => line.level === INFO)
      .map((line) => line.msg),
  ).toEqual(["deliveries are stored again"]);
  // The next outage, a window later, is said at once.
  clock += 60_000;
  log.failed(busy());
  expect(at(ERROR)).toHaveLength(3);
});

// With the wall clock set back (NTP) after an outage's first line, no later failure ended its window:
// everything after went to debug only, until the process stopped.
test("a clock set back starts a new window instead of silencing the log", () => {
  let clock = 2 * 60 * 60 * 1000;
  const { logger, at } = capture("info");
  const log = createUnstoredLog(logger, 60_000, () => clock);
  log.failed(busy());
  clock = 0;
  log.failed(busy());
  expect(at(ERROR)).toHaveLength(2);
  log.flush();
});

test("a database failing every other delivery: a few lines a window, not one per flip", () => {
  let clock = 0;
  const { logger, at } = capture("info");
  const log = createUnstoredLog(logger, 60_000, () => clock);
  for (let i = 0; i < 500; i++) {
    clock += 10;
    log.failed(busy());
    log.worked();
  }
  log.flush();
  // The last line says deliveries are stored: the last delivery was.
  expect(at(INFO).map((line) => line.msg)).toEqual([
    "a delivery could not be stored; it was answered 503 (more in the next 60 s are summed up)",
    "deliveries are stored again",
    "499 more deliveries could not be stored and were answered 503; the last cause: database is locked",
    "deliveries are stored again",
  ]);
});

// The recovery line came first and the failures held before it were summed up at the window's end:
// read in order, the log said the outage had started again.
test("the first success after an outage sums up the refusals held back, then says deliveries are stored again", () => {
  let clock = 0;
  const { logger, lines } = capture("info");
  const log = createUnstoredLog(logger, 60_000, () => clock);
  for (let i = 0; i < 3; i++) {
    clock += 10;
    log.failed(busy());
  }
  log.worked();
  log.flush();
  expect(lines.map(({ level, msg, failed, lastCause }) => ({ level, msg, failed, lastCause }))).toEqual([
    {
      level: ERROR,
      msg: "a delivery could not be stored; it was answered 503 (more in the next 60 s are summed up)",
      failed: undefined,
      lastCause: undefined,
    },
    {
      level: ERROR,
      msg: "2 more deliveries could not be stored and were answered 503; the last cause: database is locked",
      failed: 2,
      lastCause: "database is locked",
    },
    { level: INFO, msg: "deliveries are stored again", failed: undefined, lastCause: undefined },
  ]);
});

// Refusals after the window's recovery line are summed up when it ends; the log ended on that
// summary while deliveries were being stored.
test("after a window's summary of refusals held since its recovery line, the log says again that deliveries are stored", () => {
  vi.useFakeTimers({ now: 0 });
  try {
    const { logger, at } = capture("info");
    const log = createUnstoredLog(logger, 60_000, () => Date.now());
    log.failed(busy());
    log.worked();
    vi.advanceTimersByTime(1_000);
    log.failed(busy());
    log.worked();
    vi.advanceTimersByTime(59_000);
    log.flush();
    expect(at(INFO).map((line) => line.msg)).toEqual([
      "a delivery could not be stored; it was answered 503 (more in the next 60 s are summed up)",
      "deliveries are stored again",
      "1 more deliveries could not be stored and were answered 503; the last cause: database is locked",
      "deliveries are stored again",
    ]);
  } finally {
    vi.useRealTimers();
  }
});

test("a delivery stored after the window's summary, with no refusal since, says again that deliveries are stored", () => {
  vi.useFakeTimers({ now: 0 });
  try {
    const { logger, at } = capture("info");
    const log = createUnstoredLog(logger, 60_000, () => Date.now());
    log.failed(busy());
    log.worked();
    vi.advanceTimersByTime(1_000);
    log.failed(busy());
    vi.advanceTimersByTime(60_000);
    log.worked();
    log.flush();
    expect(at(INFO).map((line) => line.msg)).toEqual([
      "a delivery could not be stored; it was answered 503 (more in the next 60 s are summed up)",
      "deliveries are stored again",
      "1 more deliveries could not be stored and were answered 503; the last cause: database is locked",
      "deliveries are stored again",
    ]);
  } finally {
    vi.useRealTimers();
  }
});

test("intake answers each refused delivery 503 and logs the outage once", async () => {
  const store = openSqliteStore({ path: join(dir, "unstored.db") });
  try {
    const engine = (await loadAdapters(["@restock/adapter-no-reason"])).engine;
    await createIntegrations(store, [
      { id: "shop", marketplace: "etsy", account: "acme", mode: "smart", webhookSecret: null, createdAt: 0, updatedAt: 0 },
    ]);
    const real = createGroupCommit(store);
    let down = true;
    const commits: GroupCommit = { ...real, addEvent: (event) => (down ? Promise.reject(busy()) : real.addEvent(event)) };
    const { logger, at } = capture("info");
    const intake = createIntake({ store, engine, commits, metrics: createMetrics(store), logger });
    const deliver = (order: string) =>
      intake.receive({
        integrationId: "shop",
        body: canonicalCancellation("etsy", order, [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }]),
        contentType: "application/json",
        source: "api",
      });
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push((await deliver(`O-${i}`)).status);
    expect(new Set(statuses)).toEqual(new Set([503]));
    expect(at(ERROR)).toHaveLength(1);
    down = false;
    expect((await deliver("O-up")).status).toBe(202);
    expect(
      at(INFO)
        .filter((line) => line.level === INFO)
        .map((line) => line.msg),
    ).toEqual(["deliveries are stored again"]);
  } finally {
    store.close();
  }
});

// A marketplace retrying every delivery refused for a missing adapter (and anyone posting to the URL:
// this is before the webhook check) made an error line each (observability review).
test("deliveries refused for a marketplace without an adapter are logged once a window, the rest summed up", async () => {
  const store = openSqliteStore({ path: join(dir, "no-adapter.db") });
  try {
    const engine = (await loadAdapters(["@restock/adapter-ebay"])).engine;
    await createIntegrations(store, [
      { id: "shop", marketplace: "shopify", account: "acme", mode: "smart", webhookSecret: null, createdAt: 0, updatedAt: 0 },
    ]);
    const { logger, at } = capture("info");
    const intake = createIntake({ store, engine, commits: createGroupCommit(store), metrics: createMetrics(store), logger });
    for (let i = 0; i < 20; i++) {
      const result = await intake.receive({ integrationId: "shop", body: "{}", contentType: "application/json", source: "webhook" });
      expect(result.status).toBe(503);
    }
    expect(at(ERROR).map((line) => line.msg)).toEqual(["no adapter loaded for the integration's marketplace"]);
  } finally {
    store.close();
  }
});

// Probed every few seconds, a warning with its stack per failed readiness check flooded the log
// while the database was down (observability review).
test("failed readiness checks are logged once a window, and once that the database answers again", async () => {
  const { logger, at } = capture("info");
  let down = true;
  const store = {
    ping: async () => {
      if (down) throw busy();
    },
  } as unknown as Store;
  const app = Fastify();
  await app.register(opsRoutes(store, createMetrics(store), () => undefined, logger));
  try {
    for (let i = 0; i < 10; i++) expect((await app.inject({ url: "/readyz" })).statusCode).toBe(503);
    expect(at(WARN).map((line) => line.msg)).toEqual([
      "readiness check: the database does not answer, or takes no writes (more in the next 60 s are summed up)",
    ]);
    down = false;
    expect((await app.inject({ url: "/readyz" })).statusCode).toBe(200);
    expect(
      at(INFO)
        .map((line) => line.msg)
        .slice(1),
    ).toEqual([
      "9 more readiness checks failed: the database does not answer, or takes no writes; the last cause: database is locked",
      "readiness check: the database answers and takes writes again",
    ]);
  } finally {
    await app.close();
  }
});

// The processing loop logged every failed poll with its stack: a line a second (pollMs) for as
// long as the database was down.
test("a processing loop whose database is down logs the outage once, then once that batches go through again", async () => {
  const store = openSqliteStore({ path: join(dir, "processing.db") });
  let down = true;
  let polls = 0;
  const failing = new Proxy(store, {
    get(target, key, receiver) {
      if (key !== "processBatch") return Reflect.get(target, key, receiver);
      return (...args: Parameters<typeof store.processBatch>) => {
        polls++;
        if (polls >= 10 && polls < 13) return Promise.reject(new TypeError("Cannot read properties of undefined (reading 'lines')"));
        return down ? Promise.reject(busy()) : store.processBatch(...args);
      };
    },
  });
  const { logger, at } = capture("info");
  const processor = createProcessor({
    store: failing,
    engine: (await loadAdapters(["@restock/adapter-no-reason"])).engine,
    logger,
    options: { batchSize: 10, maxAttempts: 3, retryBaseMs: 10, retryMaxMs: 100, pollMs: 5, lingerMs: 0 },
    onBatch: () => {},
  });
  try {
    processor.start();
    while (polls < 30) await new Promise((resolve) => setTimeout(resolve, 5));
    down = false;
    const failedPolls = polls;
    while (polls < failedPolls + 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await processor.stop();
    // A failure that is not the database being down (a bug) is said each time, with its stack,
    // not summed up behind the outage's first line. The first batch that goes through sums up the
    // outage before saying so.
    const bug = "processing batch failed; retrying after the poll interval";
    expect(at(INFO).map((line) => line.msg)).toEqual([
      "processing batch failed; retrying after the poll interval (more in the next 60 s are summed up)",
      bug,
      bug,
      bug,
      `${failedPolls - 4} more processing batches failed; the last cause: database is locked`,
      "processing batches go through again",
    ]);
    expect(
      at(ERROR)
        .filter((line) => line.msg === bug)
        .map((line) => (line as { err?: { message: string } }).err?.message),
    ).toEqual([
      "Cannot read properties of undefined (reading 'lines')",
      "Cannot read properties of undefined (reading 'lines')",
      "Cannot read properties of undefined (reading 'lines')",
    ]);
  } finally {
    await processor.stop();
    store.close();
  }
});
