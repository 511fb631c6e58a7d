import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { createRetention } from "../src/ops/retention.js";
import type { Store } from "../src/store/store.js";
import { channelCancellation } from "./helpers/payloads.js";
import { runCli, startServe } from "./helpers/run-cli.js";
import { startWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const DAY = 24 * 60 * 60 * 1000;
const WITH_BODY = "SELECT COUNT(*) AS n FROM inbox JOIN inbox_payloads ON event_id = id WHERE status IN ('done', 'duplicate')";

/** An operator's hand edit on the database file, from a connection of its own. */
function sql<T>(db: string, run: (database: Database.Database) => T): T {
  const database = new Database(db);
  try {
    return run(database);
  } finally {
    database.close();
  }
}
const count = (db: string, query: string) => sql(db, (d) => (d.prepare(query).get() as { n: number }).n);

/** Moves the first `events` events' arrival and decision `days` days into the past. */
function age(db: string, events: number, days: number): void {
  sql(db, (d) =>
    d
      .prepare("UPDATE inbox SET received_at = received_at - @ms, processed_at = processed_at - @ms WHERE id <= @events")
      .run({ ms: days * DAY, events }),
  );
}

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/** A worker's SQLite database holding `events` decided events (one channel cancellation each, no-reason adapter). */
async function decidedEvents(dir: string, events: number) {
  const test = await startWorker(dir);
  await test.worker.settings.put("wm", { marketplace: "etsy", mode: "smart" });
  for (let i = 1; i <= events; i++) {
    const result = await test.worker.intake.receive({
      integrationId: "wm",
      body: channelCancellation(`PO-${i}`, [{ lineId: "1", sku: `SKU-${i % 7}`, quantity: 1 }]),
      contentType: "application/json",
      source: "api",
    });
    expect(result.status).toBe(202);
  }
  await test.drain();
  return test;
}

describe("background prune (retention.bodiesDays)", () => {
  test("restock serve --retain-bodies-days drops old bodies at start-up, counts them, keeps recent ones and the audit", async () => {
    const dir = tempDir();
    const db = join(dir, "serve.db");
    const file = join(dir, "events.jsonl");
    const events = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ integrationId: "wm", body: channelCancellation(`PO-${i}`, [{ lineId: "1", sku: "KETTLE", quantity: 1 }]) }),
    );
    writeFileSync(file, `${events.join("\n")}\n`);
    expect((await runCli(["integrations", "add", "wm", "-m", "etsy", "--db", db])).code).toBe(0);
    const replay = await runCli(["replay", file, "--db", db, "--no-progress"]);
    expect(replay.code, replay.stderr).toBe(0);
    const audit = (await runCli(["decisions", "--db", db])).stdout;
    // The first 20 were received and decided 3 days ago; the last 10 today.
    age(db, 20, 3);
    expect(count(db, WITH_BODY)).toBe(30);

    const serve = await startServe(["--db", db, "--port", "0", "--retain-bodies-days", "2"], {
      env: { RESTOCK_LOG_LEVEL: "info" },
      until: ["pruned the raw bodies of decided events"],
    });
    const logged = serve
      .stdout()
      .split("\n")
      .filter((line) => line.includes("pruned the raw bodies"))
      .map((line) => JSON.parse(line));
    expect(logged).toEqual([expect.objectContaining({ component: "retention", pruned: 20, complete: true })]);
    expect(count(db, WITH_BODY)).toBe(10);
    expect(count(db, "SELECT COUNT(*) AS n FROM inbox_payloads WHERE event_id <= 20")).toBe(0);
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toMatch(/^restock_bodies_pruned_total 20$/m);
    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect((await runCli(["decisions", "--db", db])).stdout).toBe(audit);

    const refused = await runCli(["serve", "--db", db, "--retain-bodies-days", "0"]);
    expect(refused.code).toBe(78);
    expect(refused.stderr).toContain("invalid configuration: retention.bodiesDays (from command line)");
  });

  test("stopping the worker stops a prune between steps; the next run goes on from the start and finishes", async () => {
    const dir = tempDir();
    const test = await decidedEvents(dir, 450);
    const db = join(dir, "worker.db");
    await test.worker.stop();
    age(db, 450, 10);
    const { openSqliteStore } = await import("../src/store/sqlite/open-sqlite-store.js");
    const store = openSqliteStore({ path: db });
    try {
      const { logger, lines } = recordingLogger();
      const metrics = createMetrics(store);
      let steps = 0;
      let stopped: Promise<void> | undefined;
      const stopAfterFirstStep: Store = {
        ...store,
        async prunePayloads(options) {
          const step = await store.prunePayloads(options);
          if (++steps === 1) stopped = retention.stop();
          return step;
        },
      };
      const options = { bodiesDays: 1, intervalMs: 60_000 };
      const retention = createRetention({ store: stopAfterFirstStep, options, metrics, logger });
      retention.start();
      await expect.poll(() => steps).toBe(1);
      await stopped;
      // One step of 200 (SQLite's background step), then the stop: no second step, no next run.
      expect(steps).toBe(1);
      expect(lines).toEqual([expect.objectContaining({ pruned: 200, complete: false })]);
      expect(count(db, WITH_BODY)).toBe(250);

      const next = createRetention({ store, options, metrics, logger });
      next.start();
      await expect.poll(() => lines.length).toBe(2);
      await next.stop();
      expect(lines[1]).toMatchObject({ pruned: 250, complete: true });
      expect(count(db, WITH_BODY)).toBe(0);
      expect(await metrics.registry.getSingleMetricAsString("restock_bodies_pruned_total")).toMatch(/ 450$/m);
    } finally {
      await store.close();
    }
  });

  test("each run starts at the first body the previous run left waiting, and still finds every body due since", async () => {
    const dir = tempDir();
    const test = await decidedEvents(dir, 450);
    const db = join(dir, "worker.db");
    age(db, 300, 10);
    const { store } = test.worker;
    // Each run's steps (the event id each one starts after), closed by the run's log line.
    const runs: { afterIds: number[]; line: Record<string, unknown> }[] = [];
    let afterIds: number[] = [];
    const logger = createLogger("info", {
      write: (line: string) => {
        runs.push({ afterIds, line: JSON.parse(line) });
        afterIds = [];
      },
    });
    const recording: Store = {
      ...store,
      async prunePayloads(options) {
        afterIds.push(options.afterId);
        return store.prunePayloads(options);
      },
    };
    const retention = createRetention({
      store: recording,
      options: { bodiesDays: 1, intervalMs: 50 },
      metrics: createMetrics(store),
      logger,
    });
    retention.start();
    await expect.poll(() => runs.length).toBeGreaterThanOrEqual(2);
    // The first run: windows of 200 from the oldest event; the second window drops 201-300, finds 301
    // waiting (decided today) and ends on an event received after the cutoff.
    expect(runs[0]).toEqual({ afterIds: [0, 200], line: expect.objectContaining({ pruned: 300, complete: true }) });
    // The next one starts at 301, not at the oldest event.
    expect(runs[1]).toEqual({ afterIds: [300], line: expect.objectContaining({ pruned: 0, complete: true }) });

    // The other 150 become due: a run from the same place drops them all.
    age(db, 450, 10);
    const before = runs.length;
    await expect.poll(() => runs.slice(before).find((run) => run.line.pruned === 150)).toBeTruthy();
    await retention.stop();
    expect(runs.slice(before).find((run) => run.line.pruned === 150)?.afterIds).toEqual([300]);
    expect(count(db, WITH_BODY)).toBe(0);
    await test.stop();
  });

  test("a failed run is logged and the next interval tries again", async () => {
    const dir = tempDir();
    const test = await decidedEvents(dir, 5);
    const db = join(dir, "worker.db");
    age(db, 5, 10);
    const { store } = test.worker;
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const failingOnce: Store = {
      ...store,
      async prunePayloads(options) {
        if (++calls === 1) throw new Error("SQLITE_BUSY: database is locked");
        return store.prunePayloads(options);
      },
    };
    const retention = createRetention({
      store: failingOnce,
      options: { bodiesDays: 1, intervalMs: 20 },
      metrics: createMetrics(store),
      logger,
    });
    retention.start();
    await expect.poll(() => lines.length).toBeGreaterThanOrEqual(2);
    await retention.stop();
    await test.stop();
    expect(lines[0]).toMatchObject({ level: 50, msg: "pruning raw bodies failed; trying again at the next interval" });
    expect(lines[1]).toMatchObject({ pruned: 5, complete: true });
    expect(count(db, WITH_BODY)).toBe(0);
  });

  test("configuration: days from the environment, at least 1; hourly unless set", () => {
    const config = loadConfig({ env: { RESTOCK_RETAIN_BODIES_DAYS: "30" } });
    expect(config.retention).toEqual({ bodiesDays: 30, intervalMs: 3_600_000 });
    expect(loadConfig().retention.bodiesDays).toBeUndefined();
    expect(() => loadConfig({ env: { RESTOCK_RETAIN_BODIES_DAYS: "0" } })).toThrow(
      /retention\.bodiesDays \(from environment RESTOCK_RETAIN_BODIES_DAYS\)/,
    );
    expect(() => loadConfig({ env: { RESTOCK_RETENTION_INTERVAL_MS: "1000" } })).toThrow(/retention\.intervalMs/);
  });
});
