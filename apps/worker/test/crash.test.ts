import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import {
  expectedRestores,
  type GeneratedEvent,
  type GeneratedIntegration,
  generateEvents,
  random,
  replayLine,
} from "./helpers/generate-events.js";
import { CLI, runCli, type ServeRun, startServe } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";
import { createIntegrations } from "./support/create-integrations.js";

const dir = tempDir();
const SEED = 20250306;

const integrations: GeneratedIntegration[] = [
  { id: "crash-walmart", marketplace: "walmart", mode: "smart", shape: "canonical" },
  { id: "crash-walmart-always", marketplace: "walmart", mode: "always", shape: "canonical" },
  { id: "crash-etsy", marketplace: "etsy", mode: "smart", shape: "channel" },
  { id: "crash-woo-never", marketplace: "woocommerce", mode: "never", shape: "channel" },
];

function spawnReplay(file: string, db: string): ChildProcess {
  return spawn(process.execPath, [CLI, "replay", file, "--db", db, "--no-progress", "--window", "64"], {
    env: { ...process.env, RESTOCK_LOG_LEVEL: "error", RESTOCK_BATCH_SIZE: "100" },
    stdio: "ignore",
  });
}

/** Inbox rows, or only those in `status`. */
function inboxCount(db: string, status?: "pending"): number {
  const connection = new Database(db, { readonly: true });
  try {
    const where = status ? " WHERE status = ?" : "";
    return (connection.prepare(`SELECT COUNT(*) AS n FROM inbox${where}`).get(...(status ? [status] : [])) as { n: number }).n;
  } finally {
    connection.close();
  }
}

test("SIGKILL at random points during a replay, restart: every line is restored exactly once", { timeout: 90_000 }, async () => {
  const events = generateEvents(integrations, 1500, SEED);
  expect(events.length).toBeGreaterThan(2500);
  const byId = new Map(integrations.map((integration) => [integration.id, integration]));
  const file = join(dir, "events.jsonl");
  writeFileSync(file, `${events.map((event) => replayLine(event, byId.get(event.integrationId)!)).join("\n")}\n`);
  const db = join(dir, "crash.db");
  const store = openSqliteStore({ path: db });
  for (const integration of integrations) {
    await createIntegrations(store, [{ ...integration, account: integration.id, webhookSecret: null, createdAt: 0, updatedAt: 0 }]);
  }
  await store.close();

  // Kill the real CLI at random moments: once the inbox has grown by a random number of events
  // (so the kill lands mid-replay, between or inside group commits and batches). Each restart
  // replays the file from the start.
  const next = random(SEED);
  const inboxAfterKill: number[] = [];
  for (let kill = 0; kill < 5; kill++) {
    const target = inboxCount(db) + 50 + Math.floor(next() * events.length * 0.8);
    const child = spawnReplay(file, db);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    while (child.exitCode === null && inboxCount(db) < target) await new Promise((resolve) => setTimeout(resolve, 2 + next() * 10));
    child.kill("SIGKILL");
    await exited;
    inboxAfterKill.push(inboxCount(db));
  }
  const last = await runCli(["replay", file, "--db", db, "--no-progress"], { env: { RESTOCK_LOG_LEVEL: "error" } });
  expect(last.code, last.stderr).toBe(0);
  const summary = JSON.parse(last.stdout) as { lines: number; accepted: number; failed: number };
  expect(summary).toMatchObject({ lines: events.length, accepted: events.length, failed: 0 });
  // Every kill landed mid-replay, after the run had stored events of its own.
  for (const [i, count] of inboxAfterKill.entries()) expect(count).toBeGreaterThan(i === 0 ? 0 : inboxAfterKill[i - 1]!);

  expectExactLedger(db, events);
});

/** The ledger the events must come to: each line restored exactly once, on-hand the sum of its adjustments. */
function expectExactLedger(db: string, events: readonly GeneratedEvent[]): void {
  const connection = new Database(db, { readonly: true });
  try {
    expect((connection.prepare("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'").get() as { n: number }).n).toBe(0);
    const rows = connection
      .prepare("SELECT integration_id, order_id, line_id, SUM(delta) AS units FROM adjustments GROUP BY integration_id, order_id, line_id")
      .all() as { integration_id: string; order_id: string; line_id: string; units: number }[];
    const actual = new Map(rows.map((row) => [`${row.integration_id}|${row.order_id}|${row.line_id}`, row.units]));
    const expected = new Map([...expectedRestores(integrations, events)].filter(([, units]) => units > 0));
    expect(actual.size).toBe(expected.size);
    for (const [key, units] of expected) expect(actual.get(key), key).toBe(units);
    // On-hand per (account, SKU) is the sum of its adjustments.
    const mismatched = connection
      .prepare(
        "SELECT i.account, i.sku FROM inventory i LEFT JOIN (SELECT account, sku, SUM(delta) AS units FROM adjustments GROUP BY account, sku) a ON a.account = i.account AND a.sku = i.sku WHERE i.on_hand != a.units",
      )
      .all();
    expect(mismatched).toEqual([]);
    // The never-mode integration restored nothing, yet every event of it was decided.
    expect(rows.filter((row) => row.integration_id === "crash-woo-never")).toEqual([]);
  } finally {
    connection.close();
  }
}

const API_TOKEN = "crash-test-api-token-0123456789";

/** The real `restock serve` (SQLite, processing on its worker thread) on a free port. */
function serve(db: string): Promise<ServeRun> {
  return startServe(["--db", db, "--port", "0"], {
    env: { RESTOCK_LOG_LEVEL: "info", RESTOCK_ACCESS_LOG: "0", RESTOCK_API_TOKEN: API_TOKEN, RESTOCK_BATCH_SIZE: "100" },
    until: ["processing on a worker thread"],
  });
}

test("SIGKILL `restock serve` at random points while it takes deliveries and decides on its thread: every line is restored exactly once", {
  timeout: 120_000,
}, async () => {
  const events = generateEvents(integrations, 600, SEED + 1);
  const byId = new Map(integrations.map((integration) => [integration.id, integration]));
  const deliveries = events.map((event) => {
    const { integrationId, body } = JSON.parse(replayLine(event, byId.get(event.integrationId)!)) as {
      integrationId: string;
      body: unknown;
    };
    return { integrationId, body: typeof body === "string" ? body : JSON.stringify(body) };
  });
  const db = join(dir, "serve-crash.db");
  const store = openSqliteStore({ path: db });
  for (const integration of integrations) {
    await createIntegrations(store, [{ ...integration, account: integration.id, webhookSecret: null, createdAt: 0, updatedAt: 0 }]);
  }
  await store.close();

  // Deliveries go one after another, as a marketplace sends one order's events; a delivery whose
  // answer was lost to a kill is sent again after the restart (it may already be stored: then it
  // is a duplicate, and must not restore twice).
  const next = random(SEED + 1);
  let sent = 0;
  for (let kill = 0; kill <= 4; kill++) {
    const server = await serve(db);
    let killed = false;
    const sending = (async () => {
      while (sent < deliveries.length) {
        const { integrationId, body } = deliveries[sent]!;
        let response: Response;
        try {
          response = await fetch(`${server.url}/v1/integrations/${integrationId}/cancellations`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json", authorization: `Bearer ${API_TOKEN}` },
          });
        } catch (error) {
          if (killed) return; // the answer was lost: this delivery goes again after the restart
          throw error;
        }
        expect(response.status).toBe(202);
        sent += 1;
      }
    })();
    if (kill < 4) {
      // Kill with a delivery in flight, while the thread decides what was acknowledged before it.
      const killAt = sent + 50 + Math.floor(next() * deliveries.length * 0.15);
      while (sent < killAt) await new Promise((resolve) => setTimeout(resolve, 1));
      killed = true;
      server.child.kill("SIGKILL");
      await server.exited;
      await sending;
      continue;
    }
    await sending;
    for (let waited = 0; waited < 30_000 && inboxCount(db, "pending") > 0; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    server.child.kill("SIGTERM");
    await server.exited;
  }
  expect(sent).toBe(deliveries.length);
  expectExactLedger(db, events);
});
