import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { createLogger } from "../../src/ops/logger.js";
import { createPool, inTransaction } from "../../src/store/postgres/connect.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { startWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => {});
  await database?.drop();
});

// A database restart, a failover or idle_in_transaction_session_timeout ends a worker's connections;
// one checked out for a batch between two of its queries used to emit an unheard 'error' that ended
// the whole process (every worker at once on a restart). Vitest fails the run on that uncaught error.
test("a connection ended by the server inside a transaction fails that transaction, not the process; the pool goes on", async () => {
  database = await createTestDatabase();
  const pool = createPool({ url: database.url, poolSize: 2 });
  closers.push(() => pool.end());
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  closers.push(() => admin.end());

  const lost = inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    // No query is active while the server's goodbye and the socket's end arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return client.query("SELECT 1");
  });
  await expect(lost).rejects.toThrow(/terminat|not queryable|Connection/i);

  const after = await inTransaction(pool, (client) => client.query<{ one: number }>("SELECT 1 AS one"));
  expect(after.rows[0]!.one).toBe(1);
});

test("an idle pooled connection the server ends is one short warning naming the cause, not the whole client object", async () => {
  database = await createTestDatabase();
  const lines: string[] = [];
  const logger = createLogger("warn", { write: (line: string) => lines.push(line) });
  const store = await openPostgresStore({ url: database.url, logger });
  closers.push(() => store.close());
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  closers.push(() => admin.end());
  await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'restock-worker' AND state = 'idle'",
  );
  for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const warning = lines
    .map((line) => JSON.parse(line) as { msg: string; err: { message: string; code: string } })
    .find((entry) => entry.msg === "an idle database connection failed");
  expect(warning?.err).toMatchObject({ message: "terminating connection due to administrator command", code: "57P01" });
  expect(lines.every((line) => line.length < 400)).toBe(true);
  // The store goes on with a new connection.
  expect(await store.inboxDepth()).toBe(0);
});

// A database that does not answer (here: a lock on inbox that every gauge's read waits for) must
// not hang /metrics past Prometheus's scrape timeout: the gauges it cannot read are NaN.
test("a scrape while the gauges' reads wait on a lock answers within seconds, NaN for what it could not read", async () => {
  database = await createTestDatabase();
  const t = await startWorker(tempDir(), { databaseUrl: database.url });
  closers.push(() => t.stop());
  const locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  closers.push(() => locker.end());
  await locker.query("BEGIN");
  await locker.query("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE");
  const started = Date.now();
  const scrape = await t.request("GET", "/metrics", { token: false });
  const took = Date.now() - started;
  const text = await scrape.text();
  await locker.query("ROLLBACK");
  expect(scrape.status).toBe(200);
  expect(took).toBeLessThan(8_000);
  expect(text).toMatch(/^restock_inbox_depth nan$/im);
  // The database answers (a query that needs no lock): it is up, and the gauge says it could not read.
  expect(text).toContain("restock_store_up 1");
});

// A failover that left the URL on a standby (or default_transaction_read_only): every write fails
// with SQLSTATE 25006. Deliveries got 500, counted nowhere, while /readyz and restock_store_up,
// which only ran SELECT 1, said all was well.
test("a database that takes no writes: deliveries get 503 (counted as store_unavailable), /readyz and restock_store_up say so", async () => {
  database = await createTestDatabase();
  const t = await startWorker(tempDir(), { databaseUrl: database.url });
  closers.push(() => t.stop());
  await t.request("PUT", "/v1/integrations/shop-1", {
    contentType: "application/json",
    body: JSON.stringify({ marketplace: "shopify", account: "acme" }),
  });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  closers.push(() => admin.end());
  const name = new URL(database.url).pathname.slice(1);
  await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
  closers.unshift(() => admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`));
  await admin.query(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'restock-worker'",
  );
  const cancellation = JSON.stringify({
    marketplace: "shopify",
    orderId: "1001",
    occurredAt: null,
    lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }],
  });
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    const response = await t.request("POST", "/v1/integrations/shop-1/cancellations", {
      contentType: "application/json",
      body: cancellation,
    });
    statuses.push(response.status);
    if (response.status === 503) expect(response.headers.get("retry-after")).toBe("10");
  }
  expect(statuses).toEqual([503, 503, 503]);
  const ready = await t.request("GET", "/readyz", { token: false });
  expect(ready.status).toBe(503);
  const metrics = await (await t.request("GET", "/metrics", { token: false })).text();
  expect(metrics).toContain("restock_store_up 0");
  // Summed over marketplaces: a delivery whose integration look-up met a dropped connection is counted
  // before its marketplace is known ("unknown"), as CI saw once (1 unknown, 2 shopify).
  const unavailable = [...metrics.matchAll(/^restock_events_rejected_total\{[^}]*reason="store_unavailable"[^}]*\} (\d+)$/gm)];
  expect(unavailable.reduce((sum, match) => sum + Number(match[1]), 0)).toBe(3);

  // Writable again: the connections opened while it was not (read-only for their life) are dropped
  // as they refuse a write, not kept, and deliveries and the probe come back without a restart.
  await admin.query(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
  const after: number[] = [];
  for (let i = 0; i < 20 && after.at(-1) !== 202; i++) {
    const response = await t.request("POST", "/v1/integrations/shop-1/cancellations", {
      contentType: "application/json",
      body: cancellation,
    });
    after.push(response.status);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(after.at(-1)).toBe(202);
  let readyAgain = 0;
  for (let i = 0; i < 20 && readyAgain !== 200; i++) readyAgain = (await t.request("GET", "/readyz", { token: false })).status;
  expect(readyAgain).toBe(200);
});
