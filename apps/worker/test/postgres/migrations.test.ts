import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { loadAdapters } from "../../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../../src/config/schema.js";
import { createGroupCommit } from "../../src/intake/group-commit.js";
import { createIntake } from "../../src/intake/intake.js";
import { createLogger } from "../../src/ops/logger.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { createEventEvaluator } from "../../src/processing/evaluate-event.js";
import { migrations } from "../../src/store/postgres/migrations.js";
import { CLAIM_OUTBOX_CTE, DatabaseConnectError, openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { SchemaVersionError } from "../../src/store/schema-version.js";
import type { Store } from "../../src/store/store.js";
import { OPEN_LETTER_SQL } from "../../src/store/types.js";
import { eventsAtUpgrade, ordersAfterUpgrade, storedWalmartParse } from "../helpers/payloads.js";
import { runCli } from "../helpers/run-cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const logger = createLogger("silent");
const opened: Store[] = [];
let database: TestDatabase | undefined;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await database?.drop();
  database = undefined;
});

/** Brings an empty database to `version` as the worker of that version would have: its migrations, recorded. */
async function migrateThrough(client: pg.Client, version: number, appliedAt = 0): Promise<void> {
  await client.query("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  for (const migration of migrations.filter((m) => m.version <= version)) {
    await client.query(migration.sql);
    await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
      migration.version,
      migration.name,
      appliedAt,
    ]);
  }
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("six workers starting at once on an empty database migrate it once", async () => {
  database = await createTestDatabase();
  const url = database.url;
  opened.push(...(await Promise.all(Array.from({ length: 6 }, () => openPostgresStore({ url, logger })))));

  const applied = await query<{ version: number; name: string }>(url, "SELECT version, name FROM schema_migrations ORDER BY version");
  expect(applied).toEqual(migrations.map(({ version, name }) => ({ version, name })));
  const tables = await query<{ table_name: string; table_type: string }>(
    url,
    "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\"",
  );
  expect(tables.map((row) => `${row.table_name} ${row.table_type}`)).toEqual([
    "adjustments VIEW",
    "dead_letters BASE TABLE",
    "decisions BASE TABLE",
    "host_sink BASE TABLE",
    "ignored_events BASE TABLE",
    "inbox BASE TABLE",
    "inbox_orders BASE TABLE",
    "integrations BASE TABLE",
    "inventory BASE TABLE",
    "line_progress BASE TABLE",
    "mode_changes BASE TABLE",
    "outbox BASE TABLE",
    "prune_progress BASE TABLE",
    "revoked_sessions BASE TABLE",
    "schema_migrations BASE TABLE",
  ]);
  for (const store of opened) await expect(store.inboxDepth()).resolves.toBe(0);
});

test("a database migrated by a newer worker is refused with the versions named", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  const latest = migrations.at(-1)!.version;
  await query(database.url, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${latest + 1}, 'from the future', 0)`);

  const error = await openPostgresStore({ url: database.url, logger }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SchemaVersionError);
  expect((error as Error).message).toBe(
    `database schema version ${latest + 1} is newer than this worker's (${latest}): upgrade the worker`,
  );
});

test("a database whose migrations are not this worker's own is refused, naming the migration", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  // As a build whose migration 14 was rewritten after a database had applied it would have left it.
  await query(database.url, "UPDATE schema_migrations SET name = 'host_sink.bare_keys_through' WHERE version = 14");
  const renamed = await openPostgresStore({ url: database.url, logger }).catch((e: unknown) => e);
  expect(renamed).toBeInstanceOf(SchemaVersionError);
  expect((renamed as Error).message).toBe(
    `database migration 14 was applied as "host_sink.bare_keys_through", this worker's is "${migrations[13]!.name}": ` +
      "the database was migrated by a different build; open it with that build, or restore a backup",
  );
  // A missing migration below the highest applied would never run (the migrator starts above it).
  await query(database.url, "DELETE FROM schema_migrations WHERE version = 14");
  const missing = await openPostgresStore({ url: database.url, logger }).catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(SchemaVersionError);
  expect((missing as Error).message).toMatch(`lacks migration 14 ("${migrations[13]!.name}")`);
});

test("an unreachable server or a missing database is a clear error without the password", async () => {
  const refused = await openPostgresStore({ url: "postgres://restock:s3cret@127.0.0.1:1/restock", logger }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DatabaseConnectError);
  expect((refused as Error).message).toMatch(
    /^cannot connect to PostgreSQL at postgres:\/\/restock:\*\*\*@127\.0\.0\.1:1\/restock: .*ECONNREFUSED/,
  );
  expect((refused as Error).message).not.toContain("s3cret");
  // Refused connections may work if tried again (a server restarting); a missing database will not.
  expect((refused as DatabaseConnectError).temporary).toBe(true);

  // A database that existed and was dropped: the name is valid, the database is gone.
  const dropped = await createTestDatabase();
  await dropped.drop();
  const url = new URL(dropped.url);
  const missing = await openPostgresStore({ url: url.toString(), logger }).catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(DatabaseConnectError);
  expect((missing as Error).message).toContain(`database "${url.pathname.slice(1)}" does not exist`);
  expect((missing as DatabaseConnectError).temporary).toBe(false);
});

test("the CLI exits 75 (try again) for a database it cannot reach, 78 (configuration) for one that does not exist", async () => {
  // Exited 78, a worker restarted during a short outage was taken for misconfigured, and not restarted.
  const unreachable = await runCli(["decisions"], { env: { DATABASE_URL: "postgres://restock:s3cret@127.0.0.1:1/restock" } });
  expect(unreachable.code).toBe(75);
  expect(unreachable.stderr).toMatch(
    /^cannot connect to PostgreSQL at postgres:\/\/restock:\*\*\*@127\.0\.0\.1:1\/restock: .*ECONNREFUSED/,
  );
  const dropped = await createTestDatabase();
  await dropped.drop();
  const missing = await runCli(["decisions"], { env: { DATABASE_URL: dropped.url } });
  expect(missing.code).toBe(78);
  expect(missing.stderr).toContain("does not exist");
});

test("migration 4: adjustments become the restoring decisions, under their ids, and the outbox follows them", async () => {
  database = await createTestDatabase();
  const T0 = Date.UTC(2025, 2, 6, 12);
  // A database a version-3 worker left: schema_migrations as its migrate wrote it, then its rows.
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrateThrough(client, 3, T0);
    await client.query(`INSERT INTO integrations VALUES ('shop-1', 'shopify', 'acme', 'smart', NULL, ${T0}, ${T0})`);
    await client.query(
      `INSERT INTO inbox (integration_id, source, format, content_type, body, body_hash, order_key, received_at, status, next_attempt_at, processed_at)
       VALUES ('shop-1', 'api', 'canonical', 'application/json', 'order 1001', 'hash-1001', '1001', ${T0}, 'done', ${T0}, ${T0 + 10}),
              ('shop-1', 'api', 'canonical', 'application/json', 'order 1002', 'hash-1002', '1002', ${T0}, 'done', ${T0}, ${T0 + 20})`,
    );
    // Ids from the identity sequence (1, 2, 3), as the worker drew them. Decision 1 restored nothing,
    // so adjustments 1 and 2 are decisions 2 and 3: re-keying the outbox in place would collide.
    await client.query(
      `INSERT INTO decisions (event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode,
         outcome, rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, decided_at)
       VALUES (1, 'shop-1', 'shopify', 'acme', '1001', 'L1', 'MUG', 1, 0, 0, 'smart', 'do_not_restore', 'smart.do_not_restore',
               'customer', 'Customer changed/cancelled order', 'spec', 0, 'shopify', '1.0.0', ${T0 + 10}),
              (1, 'shop-1', 'shopify', 'acme', '1001', 'L2', 'TEAPOT', 2, 2, 1, 'smart', 'restore', 'smart.restore',
               'inventory', 'Items unavailable', 'spec', 0, 'shopify', '1.0.0', ${T0 + 10}),
              (2, 'shop-1', 'shopify', 'acme', '1002', 'L1', 'MUG', 3, 3, 1, 'smart', 'ambiguous', 'smart.no_reason',
               NULL, NULL, 'none', 0, 'shopify', '1.0.0', ${T0 + 20})`,
    );
    await client.query(
      `INSERT INTO adjustments (account, sku, delta, integration_id, marketplace, order_id, line_id, event_id, decision_id, created_at)
       VALUES ('acme', 'TEAPOT', 2, 'shop-1', 'shopify', '1001', 'L2', 1, 2, ${T0 + 10}),
              ('acme', 'MUG', 3, 'shop-1', 'shopify', '1002', 'L1', 2, 3, ${T0 + 20})`,
    );
    await client.query(
      `INSERT INTO line_progress VALUES ('shop-1', '1001', 'L1', 1, ${T0 + 10}), ('shop-1', '1001', 'L2', 2, ${T0 + 10}),
                                        ('shop-1', '1002', 'L1', 3, ${T0 + 20})`,
    );
    await client.query(`INSERT INTO inventory VALUES ('acme', 'TEAPOT', 2, ${T0 + 10}), ('acme', 'MUG', 3, ${T0 + 20})`);
    // Adjustment 1 was delivered; adjustment 2's delivery failed once and is due again at T0 + 1020.
    await client.query(
      `INSERT INTO outbox (adjustment_id, attempts, next_attempt_at, last_error, delivered_at)
       VALUES (1, 0, ${T0 + 10}, NULL, ${T0 + 15}), (2, 1, ${T0 + 1020}, 'host answered 503', NULL)`,
    );
    expect((await client.query("SELECT id, decision_id FROM adjustments ORDER BY id")).rows).toEqual([
      { id: "1", decision_id: "2" },
      { id: "2", decision_id: "3" },
    ]);
  } finally {
    await client.end();
  }

  const store = await openPostgresStore({ url: database.url, logger });
  opened.push(store);
  expect(await query(database.url, "SELECT version FROM schema_migrations ORDER BY version")).toEqual(
    migrations.map(({ version }) => ({ version })),
  );
  const teapot = {
    id: 2,
    account: "acme",
    sku: "TEAPOT",
    delta: 2,
    integrationId: "shop-1",
    marketplace: "shopify",
    orderId: "1001",
    lineId: "L2",
    eventId: 1,
    decisionId: 2,
    createdAt: T0 + 10,
  };
  const mug = { ...teapot, id: 3, sku: "MUG", delta: 3, orderId: "1002", lineId: "L1", eventId: 2, decisionId: 3, createdAt: T0 + 20 };
  expect(await store.listAdjustments({ limit: 10 })).toEqual([teapot, mug]);
  expect(await store.listAdjustments({ limit: 10, account: "acme", afterId: 2 })).toEqual([mug]);
  expect(await store.listAdjustments({ limit: 10, integrationId: "shop-1", orderId: "1001" })).toEqual([teapot]);

  // The delivered row stays delivered; the pending one keeps its attempts and due time, under its decision's id.
  expect(await store.outboxDepth()).toBe(1);
  expect(await store.claimOutbox(10, T0 + 1019, 30_000)).toEqual([]);
  // Migration 14: a row queued before it keeps its bare id as its Idempotency-Key (keyWithTime false).
  expect(await store.claimOutbox(10, T0 + 1020, 30_000)).toEqual([
    { adjustment: mug, attempts: 1, leasedUntil: T0 + 31_020, keyWithTime: false, lineRestoredTotal: 3 },
  ]);
  // An outbox that had rows had a host sink: migration 8 leaves it enabled.
  expect(await store.hostSink()).toMatchObject({ enabled: true, changedBy: "migration 8" });
  expect(
    await query(database.url, "SELECT adjustment_id::int AS id, attempts, last_error, delivered_at AS delivered FROM outbox ORDER BY 1"),
  ).toEqual([
    { id: 2, attempts: 0, last_error: null, delivered: String(T0 + 15) },
    { id: 3, attempts: 1, last_error: "host answered 503", delivered: null },
  ]);

  // The migrated database keeps working: a new restoring line's adjustment and outbox row take the
  // id the decisions sequence hands out next.
  const engine = (await loadAdapters(DEFAULT_ADAPTERS)).engine;
  const intake = createIntake({
    store,
    engine,
    commits: createGroupCommit(store),
    metrics: createMetrics(store),
    logger,
    now: () => T0 + 100,
  });
  const body = JSON.stringify({
    marketplace: "shopify",
    orderId: "1003",
    occurredAt: null,
    lines: [{ lineId: "L1", sku: "KETTLE", quantity: 1, reason: null }],
  });
  const received = await intake.receive({ integrationId: "shop-1", body, contentType: "application/json", source: "api" });
  expect(received.status).toBe(202);
  const options = { limit: 10, now: T0 + 200, maxAttempts: 3, retryDelayMs: () => 1000 };
  const report = await store.processBatch(options, createEventEvaluator(engine));
  expect(report.adjustments).toBe(1);
  const kettle = {
    ...teapot,
    id: 4,
    sku: "KETTLE",
    delta: 1,
    orderId: "1003",
    lineId: "L1",
    eventId: 3,
    decisionId: 4,
    createdAt: T0 + 200,
  };
  expect(await store.listAdjustments({ limit: 10, afterId: 3 })).toEqual([kettle]);
  expect(await store.claimOutbox(10, T0 + 200, 30_000)).toEqual([
    { adjustment: kettle, attempts: 0, leasedUntil: T0 + 30_200, keyWithTime: true, lineRestoredTotal: 1 },
  ]);
});

test("migration 6 gives events naming several orders that wait at the upgrade their inbox_orders rows", async () => {
  database = await createTestDatabase();
  const { url } = database;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrateThrough(client, 5);
    // Stored parses holding the escape of U+0000 or of a lone surrogate (PostgreSQL's JSON functions
    // refuse both) are left out, not an error that would stop the upgrade.
    const refused = (detail: string) =>
      storedWalmartParse(["H", "I"], [{ kind: "order", reason: "not_a_cancellation", orderId: "Z", detail }]);
    for (const [id, status, parsed] of [
      ...eventsAtUpgrade,
      [6, "pending", refused("\u0000")],
      [7, "pending", refused("lone \ud800")],
      [8, "dead", refused("lone \udc80 too")],
    ] as const) {
      await client.query(
        `INSERT INTO inbox (id, integration_id, source, format, content_type, body, body_hash, order_key, received_at, status, next_attempt_at, parsed)
         VALUES ($1, 'wm-1', 'api', 'json', 'application/json', '\\x7b7d', $2, 'A', 0, $3, 0, $4)`,
        [id, `hash-${id}`, status, parsed],
      );
    }
  } finally {
    await client.end();
  }
  opened.push(await openPostgresStore({ url, logger }));
  const rows = await query<{ event_id: number; order_key: string }>(
    url,
    "SELECT event_id, order_key FROM inbox_orders WHERE integration_id = 'wm-1' ORDER BY event_id, order_key",
  );
  expect(rows.map((row) => [Number(row.event_id), row.order_key])).toEqual(ordersAfterUpgrade);
});

test("migration 15: a database a version-14 worker left gets revoked_sessions, and its start records a sign-out", async () => {
  database = await createTestDatabase();
  const { url } = database;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrateThrough(client, 14);
  } finally {
    await client.end();
  }
  const store = await openPostgresStore({ url, logger });
  opened.push(store);
  const versions = await query<{ version: number }>(url, "SELECT version FROM schema_migrations WHERE version >= 14 ORDER BY version");
  expect(versions.map((row) => row.version)).toEqual(migrations.filter((m) => m.version >= 14).map((m) => m.version));
  await store.revokeSession("session-1", 2_000, 1_000);
  expect(await store.isSessionRevoked("session-1")).toBe(true);
  const rows = await query<{ id: string; expires_at: string; revoked_at: string }>(
    url,
    "SELECT id, expires_at, revoked_at FROM revoked_sessions",
  );
  expect(rows.map((row) => [row.id, Number(row.expires_at), Number(row.revoked_at)])).toEqual([["session-1", 2_000, 1_000]]);
});

test("migration 7: listing open letters, those a retry holds included, can use the index dead_letters_open", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // The table is empty: without this the planner reads it whole, whatever the indexes.
    await client.query("SET enable_seqscan = off");
    const plan = await client.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT * FROM dead_letters WHERE ${OPEN_LETTER_SQL} ORDER BY id DESC LIMIT 10`,
    );
    expect(plan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/Index Scan.* (using|on) dead_letters_open/);
  } finally {
    await client.end();
  }
});

/** Rows an EXPLAIN ANALYZE plan's scans of `table` read: those they returned and those their filters dropped. */
function rowsRead(node: Record<string, unknown>, table: string): number {
  const own =
    node["Relation Name"] === table && String(node["Node Type"]).includes("Scan")
      ? Number(node["Actual Rows"] ?? 0) + Number(node["Rows Removed by Filter"] ?? 0) + Number(node["Rows Removed by Index Recheck"] ?? 0)
      : 0;
  const children = (node.Plans as Record<string, unknown>[] | undefined) ?? [];
  return own + children.reduce((sum, child) => sum + rowsRead(child, table), 0);
}

/** The outbox rows a claim of 8 at `now` reads (EXPLAIN ANALYZE runs it: rolled back, so nothing is claimed). */
async function claimRowsRead(client: pg.Client, now: number): Promise<number> {
  await client.query("ANALYZE outbox");
  await client.query("BEGIN");
  const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: Record<string, unknown> }] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) WITH ${CLAIM_OUTBOX_CTE} SELECT adjustment_id FROM claimed`,
    [now, 8, now + 30_000, now + 3_900_000],
  );
  await client.query("ROLLBACK");
  return rowsRead(rows[0]!["QUERY PLAN"][0].Plan, "outbox");
}

// A host down for long leaves most undelivered rows waiting for a retry. The claim took due rows in
// adjustment-id order, which walked them all on every round: 43 ms at 262,144 rows.
test("the host sink's claim reads what is due, not every undelivered row waiting for a retry", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const now = 1_000_000_000_000;
  try {
    // Delivered rows keep the past times they were leased until, so to the planner most rows look due.
    await client.query(
      "INSERT INTO outbox (adjustment_id, attempts, next_attempt_at, delivered_at) SELECT i, 0, $1::bigint - i, $1::bigint - i FROM generate_series(1, 60000) i",
      [now],
    );
    await client.query(
      "INSERT INTO outbox (adjustment_id, attempts, next_attempt_at, last_error) SELECT i, 3, $1::bigint + i, 'host answered 503' FROM generate_series(60001, 80000) i",
      [now],
    );
    await client.query("INSERT INTO outbox (adjustment_id, attempts, next_attempt_at) VALUES (80001, 0, $1)", [now]);
    const read = await claimRowsRead(client, now);
    const claimed = await client.query<{ adjustment_id: string }>(`WITH ${CLAIM_OUTBOX_CTE} SELECT adjustment_id FROM claimed`, [
      now,
      8,
      now + 30_000,
      now + 3_900_000,
    ]);
    expect(claimed.rows.map((row) => Number(row.adjustment_id))).toEqual([80001]);
    expect(read).toBeLessThan(10);
  } finally {
    await client.end();
  }
});

// Rows one processing batch wrote are due at one time. Ordered by due time and then id, the claim
// sorted every row due to find its first few: 77 ms at 262,144.
test("the host sink's claim reads a few of many rows due at one time, not all of them", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const now = 1_000_000_000_000;
  try {
    await client.query(
      "INSERT INTO outbox (adjustment_id, attempts, next_attempt_at) SELECT i, 0, $1::bigint FROM generate_series(1, 20000) i",
      [now],
    );
    expect(await claimRowsRead(client, now)).toBeLessThan(50);
  } finally {
    await client.end();
  }
});
