import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import { createEventEvaluator } from "../src/processing/evaluate-event.js";
import { migrate } from "../src/store/sqlite/migrate.js";
import { migrations } from "../src/store/sqlite/migrations.js";
import { CLAIM_OUTBOX_SQL, openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { type EvaluateEvent, OPEN_LETTER_SQL } from "../src/store/types.js";
import { eventsAtUpgrade, ordersAfterUpgrade } from "./helpers/payloads.js";
import { tempDir } from "./helpers/temp-dir.js";

// Migration 3 turns rows a version-2 worker wrote into the new shapes: adjustments become a view of
// their decisions (ids change to the decision ids, outbox rows follow them), line progress is read
// from decisions, and bodies move to inbox_payloads. A database written by the old schema must keep
// every unit, every pending delivery and every body.

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const dir = tempDir();
const path = join(dir, "v2.db");
let store: Store;
let evaluate: EvaluateEvent;

/** Brings an empty database to `version` as the worker of that version would have: its migrations, recorded. */
function migrateThrough(db: Database.Database, version: number): void {
  db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  for (const migration of migrations.filter((m) => m.version <= version)) {
    db.exec(migration.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.name, T0);
  }
}

function cancellation(orderId: string, quantity: number): string {
  return JSON.stringify({
    marketplace: "walmart",
    orderId,
    occurredAt: null,
    lines: [{ lineId: "1", sku: "MUG", quantity, reason: { code: "CUSTOMER_CHANGED_MIND" } }],
  });
}

/** A database as a version-2 worker left it: order PO-1 line 1 restored 2 units (adjustment 1 = decision 5, delivered),
 * PO-2 restored 1 (adjustment 2 = decision 6, not yet delivered), PO-1 line 1 is now cancelled up to 3 (pending),
 * and a failed event's dead letter reads its body from the inbox. */
function writeVersion2Database(): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrateThrough(db, 2);
  db.prepare("INSERT INTO integrations VALUES ('wm-1', 'walmart', 'acct', 'always', NULL, ?, ?)").run(T0, T0);
  const event = db.prepare(
    `INSERT INTO inbox (id, integration_id, source, format, content_type, body, body_hash, order_key, received_at, status, attempts, next_attempt_at, processed_at)
     VALUES (?, 'wm-1', 'api', 'canonical', 'application/json', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  event.run(1, Buffer.from(cancellation("PO-1", 2)), "hash-1", "PO-1", T0, "done", 0, T0, T0 + 1);
  event.run(2, Buffer.from(cancellation("PO-2", 1)), "hash-2", "PO-2", T0, "done", 0, T0, T0 + 1);
  event.run(3, Buffer.from(cancellation("PO-3", 9)), "hash-3", "PO-3", T0, "dead", 3, T0, T0 + 2);
  event.run(4, Buffer.from(cancellation("PO-1", 3)), "hash-4", "PO-1", T0 + 5, "pending", 0, T0 + 5, null);
  const decision = db.prepare(
    `INSERT INTO decisions (id, event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode,
       outcome, rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, decided_at)
     VALUES (?, ?, 'wm-1', 'walmart', 'acct', ?, '1', 'MUG', ?, ?, 1, 'always', 'restore', 'mode-always', 'CUSTOMER_CHANGED_MIND', NULL, 'marketplace', 0, 'walmart', '0.1.0', ?)`,
  );
  decision.run(5, 1, "PO-1", 2, 2, T0 + 1);
  decision.run(6, 2, "PO-2", 1, 1, T0 + 1);
  const adjustment = db.prepare(
    `INSERT INTO adjustments (id, account, sku, delta, integration_id, marketplace, order_id, line_id, event_id, decision_id, created_at)
     VALUES (?, 'acct', 'MUG', ?, 'wm-1', 'walmart', ?, '1', ?, ?, ?)`,
  );
  adjustment.run(1, 2, "PO-1", 1, 5, T0 + 1);
  adjustment.run(2, 1, "PO-2", 2, 6, T0 + 1);
  db.prepare("INSERT INTO outbox (adjustment_id, attempts, next_attempt_at, delivered_at) VALUES (1, 1, ?, ?)").run(T0 + 1, T0 + 2);
  db.prepare("INSERT INTO outbox (adjustment_id, attempts, next_attempt_at, last_error) VALUES (2, 2, ?, 'host down')").run(T0 + 1);
  db.prepare("INSERT INTO line_progress VALUES ('wm-1', 'PO-1', '1', 2, ?), ('wm-1', 'PO-2', '1', 1, ?)").run(T0 + 1, T0 + 1);
  db.prepare("INSERT INTO inventory VALUES ('acct', 'MUG', 3, ?)").run(T0 + 1);
  db.prepare(
    `INSERT INTO dead_letters (id, kind, integration_id, event_id, source, content_type, body, error, field, attempts, created_at)
     VALUES (1, 'failed', 'wm-1', 3, 'api', 'application/json', NULL, 'boom', NULL, 3, ?)`,
  ).run(T0 + 2);
  db.close();
}

beforeAll(async () => {
  writeVersion2Database();
  store = openSqliteStore({ path });
  evaluate = createEventEvaluator((await loadAdapters(DEFAULT_ADAPTERS)).engine);
});
afterAll(() => store.close());

test("migration 11: an integration from before is taken as set by a seller, and has no mode history yet", async () => {
  // A later legacy import keeps such a mode unless forced, rather than guess it was the import's own.
  expect(await store.getIntegration("wm-1")).toMatchObject({ mode: "always", modeSetBy: "seller" });
  expect(await store.listModeChanges("wm-1", 10)).toEqual([]);
});

test("migration 3 is recorded and the replaced tables are gone", () => {
  const db = new Database(path, { readonly: true });
  try {
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all();
    expect(versions).toEqual(migrations.map((m) => m.version));
    const objects = db
      .prepare("SELECT type, name FROM sqlite_master WHERE name IN ('adjustments', 'line_progress', 'inbox_payloads')")
      .all();
    expect(objects).toEqual(
      expect.arrayContaining([
        { type: "view", name: "adjustments" },
        { type: "table", name: "inbox_payloads" },
      ]),
    );
    expect(objects).toHaveLength(2);
    const inboxColumns = db.prepare("SELECT name FROM pragma_table_info('inbox')").pluck().all();
    expect(inboxColumns).not.toContain("body");
  } finally {
    db.close();
  }
});

test("adjustments keep their units under their decision ids, and the undelivered one is still owed to the host", async () => {
  const adjustments = await store.listAdjustments({ limit: 10 });
  expect(adjustments.map((a) => [a.id, a.decisionId, a.orderId, a.delta, a.createdAt])).toEqual([
    [5, 5, "PO-1", 2, T0 + 1],
    [6, 6, "PO-2", 1, T0 + 1],
  ]);
  expect(await store.outboxDepth()).toBe(1);
  const owed = await store.claimOutbox(10, T0 + 10, 60_000);
  expect(owed.map((item) => [item.adjustment.id, item.adjustment.delta, item.attempts])).toEqual([[6, 1, 2]]);
});

test("an event's decisions are found by event id, for events decided before the migration too", async () => {
  const decided = await store.queryDecisions({ eventId: 1, limit: 10 });
  expect(decided.map((d) => [d.id, d.orderId, d.restoredNow])).toEqual([[5, "PO-1", 2]]);
  expect(await store.queryDecisions({ eventId: 3, limit: 10 })).toEqual([]);
});

test("a failed event's dead letter still reads its body from the inbox", async () => {
  expect((await store.getDeadLetterBody(1))?.toString()).toBe(cancellation("PO-3", 9));
});

test("line progress comes from the old decisions: a pending cumulative cancellation restores only the increase", async () => {
  // An outbox that had rows had a host sink: migration 7 leaves it enabled, so the batch queues the adjustment.
  expect(await store.hostSink()).toMatchObject({ enabled: true, changedBy: "migration 7" });
  // Migration 13: rows queued before it keep their bare ids as Idempotency-Keys.
  expect((await store.listUndelivered(0, 10)).map((row) => [row.adjustment.id, row.keyWithTime])).toEqual([[6, false]]);
  const report = await store.processBatch({ limit: 10, now: T0 + 10, maxAttempts: 3, retryDelayMs: () => 1000 }, evaluate);
  expect(report.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([[4, "done", 1]]);
  const [mug] = await store.listInventory({ account: "acct", sku: "MUG", limit: 1 });
  expect(mug?.onHand).toBe(4);
  const adjustments = await store.listAdjustments({ orderId: "PO-1", limit: 10 });
  expect(adjustments.map((a) => a.delta)).toEqual([2, 1]);
  expect((await store.queryDecisions({ eventId: 4, limit: 10 })).map((d) => d.id)).toEqual([adjustments[1]!.id]);
  // The new adjustment went to the outbox under its decision id, after the one still owed.
  const owed = await store.claimOutbox(10, T0 + 10 + 60_000, 60_000);
  expect(owed.map((item) => item.adjustment.id)).toEqual([6, adjustments[1]!.id]);
});

test("migration 5 gives events naming several orders that wait at the upgrade their inbox_orders rows", async () => {
  const file = join(dir, "v4.db");
  const db = new Database(file);
  migrateThrough(db, 4);
  const event = db.prepare(
    `INSERT INTO inbox (id, integration_id, source, format, content_type, body_hash, order_key, received_at, status, attempts, next_attempt_at)
     VALUES (?, 'wm-1', 'api', 'json', 'application/json', ?, ?, ?, ?, 0, ?)`,
  );
  const payload = db.prepare("INSERT INTO inbox_payloads (event_id, body, parsed) VALUES (?, x'7b7d', ?)");
  for (const [id, status, parsed] of eventsAtUpgrade) {
    event.run(id, `hash-${id}`, "A", T0, status, T0);
    payload.run(id, parsed);
  }
  db.close();
  const migrated = openSqliteStore({ path: file });
  await migrated.close();
  const check = new Database(file, { readonly: true });
  const rows = check
    .prepare("SELECT event_id, order_key FROM inbox_orders WHERE integration_id = 'wm-1' ORDER BY event_id, order_key")
    .raw()
    .all();
  check.close();
  expect(rows).toEqual(ordersAfterUpgrade);
});

test("migrations 13 and 14: a database a version-12 worker left gets outbox.key_with_time and revoked_sessions, and records a sign-out", async () => {
  const file = join(dir, "v12.db");
  const db = new Database(file);
  migrateThrough(db, 12);
  db.close();
  const migrated = openSqliteStore({ path: file });
  try {
    await migrated.revokeSession("session-1", T0 + 2_000, T0 + 1_000);
    expect(await migrated.isSessionRevoked("session-1")).toBe(true);
  } finally {
    await migrated.close();
  }
  const check = new Database(file, { readonly: true });
  try {
    expect(check.prepare("SELECT version FROM schema_migrations WHERE version >= 12 ORDER BY version").pluck().all()).toEqual(
      migrations.filter((m) => m.version >= 12).map((m) => m.version),
    );
    expect(check.prepare("SELECT id, expires_at, revoked_at FROM revoked_sessions").raw().all()).toEqual([
      ["session-1", T0 + 2_000, T0 + 1_000],
    ]);
  } finally {
    check.close();
  }
});

test("migration 6: listing open letters, those a retry holds included, is served by the index dead_letters_open", () => {
  const check = new Database(path, { readonly: true });
  const plan = check
    .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT * FROM dead_letters WHERE ${OPEN_LETTER_SQL} ORDER BY id DESC LIMIT 10`)
    .all();
  check.close();
  expect(plan.map((step) => step.detail)).toEqual(["SCAN dead_letters USING INDEX dead_letters_open"]);
});

// A host down for long leaves most undelivered rows waiting for a retry. The claim took due rows in
// adjustment-id order, which walked them all (outbox_undelivered) on every round: 22 ms at 262,144
// rows, inside the write lock. Both ranges it wants are ranges of outbox_due.
test("the host sink's claim searches outbox_due for what is due, not every undelivered row", () => {
  const check = new Database(path, { readonly: true });
  const plan = check
    .prepare<{ now: number; latest: number; limit: number; until: number }, { detail: string }>(`EXPLAIN QUERY PLAN ${CLAIM_OUTBOX_SQL}`)
    .all({ now: 0, latest: 0, limit: 10, until: 0 });
  check.close();
  const steps = plan.map((step) => step.detail);
  expect(steps).toContain("SEARCH outbox USING INDEX outbox_due (next_attempt_at<?)");
  expect(steps).toContain("SEARCH outbox USING INDEX outbox_due (next_attempt_at>?)");
  expect(steps.filter((step) => step.startsWith("SCAN outbox"))).toEqual([]);
});

/** A connection whose first read of the schema version is stale (made before another process migrated). */
function staleFirstRead(db: Database.Database): Database.Database {
  const prepare = db.prepare.bind(db);
  let reads = 0;
  return new Proxy(db, {
    get(target, key, receiver) {
      if (key !== "prepare") return Reflect.get(target, key, receiver);
      return (sql: string) => {
        const statement = prepare(sql);
        // The first read of what is applied (all rows, before any lock) sees an empty table.
        if (!sql.startsWith("SELECT version, name FROM schema_migrations")) return statement;
        return { all: () => (reads++ === 0 ? [] : statement.all()) };
      };
    },
  });
}

test("a migration another process applied after this one read the version is not applied twice (serve and a cron's prune starting together)", () => {
  const path = join(dir, "migrate-race.db");
  const first = new Database(path);
  migrate(first);
  first.close();
  const second = new Database(path);
  try {
    expect(migrate(staleFirstRead(second))).toEqual([]);
    expect((second.prepare("SELECT COUNT(*) AS n FROM schema_migrations").get() as { n: number }).n).toBe(migrations.length);
  } finally {
    second.close();
  }
});

test("a worker that read the version before a newer worker upgraded the file refuses to run on it", () => {
  const path = join(dir, "migrate-newer.db");
  const first = new Database(path);
  migrate(first);
  const newer = migrations.at(-1)!.version + 1;
  first.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from a newer worker', 0)").run(newer);
  first.close();
  const second = new Database(path);
  try {
    expect(() => migrate(staleFirstRead(second))).toThrow(`database schema version ${newer} is newer than this worker's`);
  } finally {
    second.close();
  }
});

test("a database whose migrations are not this worker's own is refused, naming the migration", () => {
  const renamed = join(dir, "migrate-renamed.db");
  const first = new Database(renamed);
  migrate(first);
  // As a build whose migration 13 was rewritten after a database had applied it would have left it.
  first.prepare("UPDATE schema_migrations SET name = 'host_sink.bare_keys_through' WHERE version = 13").run();
  first.close();
  const second = new Database(renamed);
  try {
    expect(() => migrate(second)).toThrow(
      `database migration 13 was applied as "host_sink.bare_keys_through", this worker's is "${migrations[12]!.name}": the database was migrated by a different build`,
    );
    // A missing migration below the highest applied would never run (the migrator starts above it).
    second.prepare("DELETE FROM schema_migrations WHERE version = 13").run();
    expect(() => migrate(second)).toThrow(
      `database schema version ${migrations.at(-1)!.version} lacks migration 13 ("${migrations[12]!.name}")`,
    );
  } finally {
    second.close();
  }
});
