import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { createRetention } from "../src/ops/retention.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import type { PruneOptions, PruneStep } from "../src/store/types.js";
import { createWorker } from "../src/worker.js";
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

/** The store, with every prune step going through `around` (which runs the real one with `prune`). */
function aroundPruneSteps(store: Store, around: (options: PruneOptions, prune: () => Promise<PruneStep>) => Promise<PruneStep>): Store {
  return { ...store, prunePayloads: (options) => around(options, () => store.prunePayloads(options)) };
}

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

/**
 * A worker on a new SQLite database (`db`) holding `events` decided events (one channel cancellation
 * each, no-reason adapter), the first `aged` of them received and decided 10 days ago.
 */
async function decidedEvents(events: number, aged: number) {
  const test = await startWorker(tempDir());
  await test.worker.settings.put("wm", { marketplace: "etsy", mode: "smart" }, "api");
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
  const db = test.worker.config.dbPath;
  age(db, aged, 10);
  return { test, db, store: test.worker.store };
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
    // The first 20 were received and decided 3 days ago; the last 10 today.
    age(db, 20, 3);
    expect(count(db, WITH_BODY)).toBe(30);
    // Only serving prunes: a replay with the setting in its environment does not.
    const one = join(dir, "one.jsonl");
    writeFileSync(
      one,
      `${JSON.stringify({ integrationId: "wm", body: channelCancellation("PO-31", [{ lineId: "1", sku: "KETTLE", quantity: 1 }]) })}\n`,
    );
    const replayed = await runCli(["replay", one, "--db", db, "--no-progress"], { env: { RESTOCK_RETAIN_BODIES_DAYS: "2" } });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(count(db, WITH_BODY)).toBe(31);
    const audit = (await runCli(["decisions", "--db", db])).stdout;

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
    expect(count(db, WITH_BODY)).toBe(11);
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

  test("stopping the worker stops its prune between steps; a new worker's first run goes on from where the stopped one left off and finishes", async () => {
    const { test, db } = await decidedEvents(450, 450);
    await test.worker.stop();
    const { logger, lines } = recordingLogger();
    const retentionLines = () => lines.filter((line) => line.component === "retention");
    const config = loadConfig({ flags: { dbPath: db, port: 0, logLevel: "info", accessLog: false, "retention.bodiesDays": 1 } });
    const store = openSqliteStore({ path: db });
    let steps = 0;
    let stopped: Promise<void> | undefined;
    const stopAfterFirstStep = aroundPruneSteps(store, async (_options, prune) => {
      const step = await prune();
      if (++steps === 1) stopped = worker.stop();
      return step;
    });
    const worker = await createWorker(config, { store: stopAfterFirstStep, logger });
    await worker.listen();
    await expect.poll(() => steps).toBe(1);
    await stopped;
    // One step of 200 (SQLite's background step), then the stop, before the database closed: no
    // second step on a closed database, no next run.
    await expect.poll(() => retentionLines().length).toBe(1);
    expect(retentionLines()).toEqual([expect.objectContaining({ level: 30, pruned: 200, complete: false })]);
    expect(steps).toBe(1);
    expect(count(db, WITH_BODY)).toBe(250);

    const again = openSqliteStore({ path: db });
    try {
      const metrics = createMetrics(again);
      const options = { bodiesDays: 1, intervalMs: 60_000 };
      const next = createRetention({ store: again, options, metrics, logger: logger.child({ component: "retention" }) });
      next.start();
      await expect.poll(() => retentionLines().length).toBe(2);
      await next.stop();
      expect(retentionLines()[1]).toMatchObject({ pruned: 250, complete: true });
      expect(count(db, WITH_BODY)).toBe(0);
      expect(await metrics.registry.getSingleMetricAsString("restock_bodies_pruned_total")).toMatch(/ 250$/m);
    } finally {
      await again.close();
    }
  });

  test("each run after the first starts near where the previous one ended, not at the oldest event (in this process or another), and still finds every body due since", async () => {
    const { test, db, store } = await decidedEvents(450, 300);
    // Each run's steps (the event id each one starts after), closed by the run's log line.
    const runs: { afterIds: number[]; line: Record<string, unknown> }[] = [];
    let afterIds: number[] = [];
    const logger = createLogger("info", {
      write: (line: string) => {
        runs.push({ afterIds, line: JSON.parse(line) });
        afterIds = [];
      },
    });
    const stepEnds: number[] = [];
    const recording = aroundPruneSteps(store, async (options, prune) => {
      afterIds.push(options.afterId);
      if (afterIds.length > 1) pauses.push(performance.now() - stepEnds.at(-1)!);
      const step = await prune();
      stepEnds.push(performance.now());
      return step;
    });
    const pauses: number[] = [];
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
    // Between its steps it paused (20 ms on SQLite) so that intake goes on.
    expect(pauses[0]).toBeGreaterThanOrEqual(15);
    // The next one starts where that last window started, not at the oldest event.
    expect(runs[1]).toEqual({ afterIds: [200], line: expect.objectContaining({ pruned: 0, complete: true }) });

    // The other 150 become due: a run from the same place drops them all.
    age(db, 450, 10);
    const before = runs.length;
    await expect.poll(() => runs.slice(before).find((run) => run.line.pruned === 150)).toBeTruthy();
    await retention.stop();
    expect(runs.slice(before).find((run) => run.line.pruned === 150)?.afterIds).toEqual([200]);
    expect(count(db, WITH_BODY)).toBe(0);

    // The point is the database's: another process's prune (a restart, restock prune from cron)
    // starts there too, not at the oldest event.
    const restarted = createRetention({
      store: recording,
      options: { bodiesDays: 1, intervalMs: 60_000 },
      metrics: createMetrics(store),
      logger,
    });
    const ran = runs.length;
    restarted.start();
    await expect.poll(() => runs.length).toBe(ran + 1);
    await restarted.stop();
    expect(runs[ran]).toEqual({ afterIds: [200], line: expect.objectContaining({ pruned: 0, complete: true }) });
    await test.stop();
  });

  test("a failed run is logged and the next interval tries again", async () => {
    const { test, db, store } = await decidedEvents(5, 5);
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const failingOnce = aroundPruneSteps(store, async (_options, prune) => {
      if (++calls === 1) throw new Error("SQLITE_BUSY: database is locked");
      return prune();
    });
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
