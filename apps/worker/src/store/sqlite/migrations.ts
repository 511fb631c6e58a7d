/**
 * Versioned schema. Each migration runs once, in its own transaction, in order; the applied
 * versions are kept in `schema_migrations`. Never edit a released migration: add one.
 * The SQL is kept portable (INTEGER epoch milliseconds, 0/1 flags, partial indexes, ON CONFLICT)
 * so that the PostgreSQL store can start from the same statements.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema: integrations, inbox, ledger, audit, outbox, dead letters",
    sql: `
CREATE TABLE integrations (
  id TEXT PRIMARY KEY,
  marketplace TEXT NOT NULL,
  account TEXT NOT NULL,
  mode TEXT NOT NULL,
  webhook_secret TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  integration_id TEXT NOT NULL,
  source TEXT NOT NULL,
  format TEXT NOT NULL,
  content_type TEXT,
  body BLOB NOT NULL,
  body_hash TEXT NOT NULL,
  order_key TEXT,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  duplicate_of INTEGER,
  processed_at INTEGER
);
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
CREATE INDEX inbox_order ON inbox (integration_id, order_key, id) WHERE status = 'pending';
CREATE INDEX inbox_body ON inbox (integration_id, body_hash) WHERE status = 'done';

CREATE TABLE line_progress (
  integration_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  processed_quantity INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (integration_id, order_id, line_id)
);

-- Every secondary index costs each decision insert (the hot path): none on decided_at, whose
-- filter is read while walking the newest-first id order.
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  integration_id TEXT NOT NULL,
  marketplace TEXT NOT NULL,
  account TEXT NOT NULL,
  order_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  restored_now INTEGER NOT NULL,
  restore INTEGER NOT NULL,
  mode TEXT NOT NULL,
  outcome TEXT NOT NULL,
  rule TEXT NOT NULL,
  reason_code TEXT,
  reason_label TEXT,
  reason_origin TEXT NOT NULL,
  reason_derived INTEGER NOT NULL,
  adapter_id TEXT NOT NULL,
  adapter_version TEXT NOT NULL,
  decided_at INTEGER NOT NULL
);
CREATE INDEX decisions_integration ON decisions (integration_id, id);
CREATE INDEX decisions_order ON decisions (order_id, id);
CREATE INDEX decisions_sku ON decisions (sku, id);
CREATE INDEX decisions_event ON decisions (event_id);

CREATE TABLE ignored_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  integration_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  order_id TEXT,
  detail TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX ignored_events_event ON ignored_events (event_id);

CREATE TABLE inventory (
  account TEXT NOT NULL,
  sku TEXT NOT NULL,
  on_hand INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account, sku)
);

CREATE TABLE adjustments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  sku TEXT NOT NULL,
  delta INTEGER NOT NULL,
  integration_id TEXT NOT NULL,
  marketplace TEXT NOT NULL,
  order_id TEXT NOT NULL,
  line_id TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  decision_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX adjustments_account_sku ON adjustments (account, sku, id);
CREATE INDEX adjustments_order ON adjustments (integration_id, order_id, id);

CREATE TABLE outbox (
  adjustment_id INTEGER PRIMARY KEY,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  integration_id TEXT NOT NULL,
  event_id INTEGER,
  source TEXT NOT NULL,
  content_type TEXT,
  body BLOB,
  error TEXT NOT NULL,
  field TEXT,
  attempts INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  retried_at INTEGER,
  retry_result TEXT
);
CREATE INDEX dead_letters_open ON dead_letters (id) WHERE retried_at IS NULL;
`,
  },
  {
    version: 2,
    name: "inbox.parsed: the adapter's parse result from intake, so processing does not parse the body again",
    sql: `
ALTER TABLE inbox ADD COLUMN parsed TEXT;
`,
  },
  {
    version: 3,
    name: "fewer pages written per line: adjustments and line progress read from decisions, payloads beside the inbox",
    sql: `
-- A batch's commit writes every page it dirtied, and rows or index entries placed at random
-- (by order id, by body hash) dirty a page each. This migration removes writes that repeated what a
-- decisions row already says and keeps the status row a processor updates small.
-- (bench/results: processing-sqlite, before and after.)

-- An adjustment is a decision that restored units: the same account, SKU, order, line, event and
-- time, with restored_now as its delta. Writing it again as its own row (with two more indexes) was
-- a quarter of the writes per line; the view reads it from the decision, whose id it now shares.
-- Adjustment ids in the API, the outbox and the sink's Idempotency-Key become decision ids.
CREATE TABLE outbox_by_decision (
  adjustment_id INTEGER PRIMARY KEY,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  delivered_at INTEGER
);
INSERT INTO outbox_by_decision (adjustment_id, attempts, next_attempt_at, last_error, delivered_at)
  SELECT a.decision_id, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at
  FROM outbox o JOIN adjustments a ON a.id = o.adjustment_id;
DROP TABLE outbox;
ALTER TABLE outbox_by_decision RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
DROP TABLE adjustments;
CREATE VIEW adjustments AS
  SELECT id, account, sku, restored_now AS delta, integration_id, marketplace, order_id, line_id, event_id,
         id AS decision_id, decided_at AS created_at
  FROM decisions WHERE restored_now > 0;
-- No index on account (as PostgreSQL migration 4, where one cost 40% of the throughput): listing
-- adjustments by account alone walks decisions in id order. SKU, integration and order filters use
-- decisions' own indexes.

-- The claim's wait check only needs events pending a retry (attempts > 0; a fresh event is due on
-- arrival), so its index holds the retry queue instead of every pending event.
DROP INDEX inbox_order;
CREATE INDEX inbox_retrying ON inbox (integration_id, order_key, id) WHERE status = 'pending' AND attempts > 0;

-- The duplicate probe keys on 12 hex digits (48 bits) of the body hash; the query compares the
-- whole hash and the integration. Entries a seventh the size of (integration_id, body_hash), so a
-- batch's random inserts touch far fewer pages.
DROP INDEX inbox_body;
CREATE INDEX inbox_body ON inbox (substr(body_hash, 1, 12)) WHERE status = 'done';

-- A line's processed quantity is the largest cumulative quantity any of its decisions recorded (a
-- withheld decision records it too; a lower total changes nothing): the rule book's §3 read from the
-- audit instead of kept a second time at a random place in line_progress. So decisions are never
-- deleted while their orders can still be cancelled. The index also serves "decisions of an order".
DROP TABLE line_progress;
DROP INDEX decisions_order;
CREATE INDEX decisions_line ON decisions (order_id, integration_id, line_id, quantity);

-- An event's decisions are one range of ids (a batch writes them one after another): the inbox row
-- records it, so finding them needs no index on decisions.event_id (one fewer per line). Events done
-- before this migration get their range from that index before it goes.
ALTER TABLE inbox ADD COLUMN decisions_from INTEGER;
ALTER TABLE inbox ADD COLUMN decisions_to INTEGER;
UPDATE inbox SET
  decisions_from = (SELECT MIN(d.id) FROM decisions d WHERE d.event_id = inbox.id),
  decisions_to = (SELECT MAX(d.id) FROM decisions d WHERE d.event_id = inbox.id)
WHERE status = 'done';
DROP INDEX decisions_event;

-- The raw body (1-3 KB) and the stored parse move out of the inbox row: marking an event done then
-- rewrites a ~100-byte row (dozens per page) instead of a page per event.
CREATE TABLE inbox_payloads (
  event_id INTEGER PRIMARY KEY,
  body BLOB NOT NULL,
  parsed TEXT
);
INSERT INTO inbox_payloads (event_id, body, parsed) SELECT id, body, parsed FROM inbox;
ALTER TABLE inbox DROP COLUMN body;
ALTER TABLE inbox DROP COLUMN parsed;
`,
  },
  {
    version: 4,
    name: "dead letters found by event: restock prune keeps the bodies of events a dead letter points to",
    sql: `
-- Dead letters are few, so this index costs nothing where events are processed.
CREATE INDEX dead_letters_event ON dead_letters (event_id) WHERE event_id IS NOT NULL;
`,
  },
  {
    version: 5,
    name: "inbox_orders: every order of an event naming several, so each is held in arrival order",
    sql: `
-- inbox.order_key is an event's first order. An event naming several (an order list page) holds
-- each of them (../order-holds.ts): a later event of its second order must not apply before it.
-- Rows exist only for such events, from intake until the event is applied (done or duplicate; a
-- dead event's stay, for a requeue), and webhook traffic (one order per event) writes none.
CREATE TABLE inbox_orders (
  event_id INTEGER NOT NULL,
  integration_id TEXT NOT NULL,
  order_key TEXT NOT NULL,
  PRIMARY KEY (event_id, order_key)
) WITHOUT ROWID;
-- Events waiting when the worker is upgraded: their orders from intake's stored parse.
INSERT OR IGNORE INTO inbox_orders (event_id, integration_id, order_key)
SELECT e.id, e.integration_id, json_extract(c.value, '$.orderId')
FROM inbox e JOIN inbox_payloads p ON p.event_id = e.id, json_each(p.parsed, '$.cancellations') c
WHERE e.status IN ('pending', 'dead') AND json_valid(p.parsed)
  AND (SELECT COUNT(DISTINCT json_extract(c2.value, '$.orderId')) FROM json_each(p.parsed, '$.cancellations') c2) > 1;
`,
  },
  {
    version: 6,
    name: "dead_letters_open also holds letters a retry has claimed, which are still open",
    sql: `
-- A letter a retry holds (retry_result 'retrying', store/types.ts RETRYING) is listed as open: the
-- index's condition is the open-letter listing's, word for word, so the planner can use it.
DROP INDEX dead_letters_open;
CREATE INDEX dead_letters_open ON dead_letters (id) WHERE (retried_at IS NULL OR retry_result = 'retrying');
`,
  },
  {
    version: 7,
    name: "host_sink: whether adjustments are queued for a host sink is the database's state, not each process's",
    sql: `
-- One row. While enabled, every processing process writes an outbox row for each adjustment, whether
-- or not it has a sink URL itself: before, only processes with one did, so a replay or an instance
-- set up without it decided events whose adjustments the host never heard of. A process with a sink
-- URL turns it on as it starts; 'restock sink disable' turns it off. A database whose outbox has
-- ever had a row had a sink, and starts enabled.
CREATE TABLE host_sink (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  enabled INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  changed_by TEXT NOT NULL
);
INSERT INTO host_sink (id, enabled, changed_at, changed_by)
SELECT 1, EXISTS (SELECT 1 FROM outbox), CAST(unixepoch('subsec') * 1000 AS INTEGER), 'migration 7';
`,
  },
  {
    version: 8,
    name: "outbox.skipped_reason: an adjustment the host refuses for good can be skipped, keeping why",
    sql: `
-- An adjustment the host refuses for good (a 4xx that retrying will not mend) was retried for ever:
-- 'restock sink skip' ends that, keeping why. A skipped row counts as done with (delivered_at is set,
-- so every query of what is undelivered leaves it out); skipped_reason tells it from a delivery, and a
-- delivery that lands after all clears it.
ALTER TABLE outbox ADD COLUMN skipped_reason TEXT;
`,
  },
  {
    version: 9,
    name: "prune_progress: where the next restock prune starts, kept across processes",
    sql: `
-- One row: every event up to resume_after has lost its raw body or keeps it for good (a dead
-- letter's), so a prune starts after it. Only 'restock serve' remembered it, in memory: a prune run
-- from cron started at the oldest event every time.
CREATE TABLE prune_progress (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  resume_after INTEGER NOT NULL
);
INSERT INTO prune_progress (id, resume_after) VALUES (1, 0);
`,
  },
  {
    version: 10,
    name: "decisions.reason_parts: each reason's decision for a line cancelled under several",
    sql: `
-- A Walmart line can be cancelled in parts under different reasons; each part is decided on its
-- own (LineDecision.parts), and the audit keeps them as JSON, so '2 of 3 restored' is explained.
-- NULL for every line with one reason.
ALTER TABLE decisions ADD COLUMN reason_parts TEXT;
`,
  },
  {
    version: 11,
    name: "integrations.mode_set_by and mode_changes: who chose each mode, and every change",
    sql: `
-- A re-run legacy import replaced modes sellers had chosen since, and nothing recorded who changed a
-- mode. Integrations from before are taken as set by a seller: an import then keeps them unless
-- forced, rather than guess they were its own.
ALTER TABLE integrations ADD COLUMN mode_set_by TEXT NOT NULL DEFAULT 'seller';
CREATE TABLE mode_changes (
  id INTEGER PRIMARY KEY,
  integration_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  from_mode TEXT,
  to_mode TEXT NOT NULL,
  set_by TEXT NOT NULL,
  via TEXT NOT NULL
);
CREATE INDEX mode_changes_integration ON mode_changes (integration_id, id);
`,
  },
  {
    version: 12,
    name: "outbox_undelivered: the host sink's claim walks undelivered rows only",
    sql: `
-- Outbox rows stay once delivered. The sink's claim (undelivered rows by adjustment id) walked the
-- primary key from the first row ever written, skipping every delivered one, on each round: 27 ms a
-- round at a million rows (0.03 ms with this index), on the event loop that answers webhooks.
CREATE INDEX outbox_undelivered ON outbox (adjustment_id) WHERE delivered_at IS NULL;
`,
  },
  {
    version: 13,
    name: "outbox.key_with_time: adjustments queued from now on are sent under keys that also name their decision time",
    sql: `
-- The sink's Idempotency-Key was the bare adjustment id, which a database hands out again after a
-- backup is restored (and a new database from 1): a host that remembered the key took a new
-- adjustment for a repeat and dropped its units. Keys now add the decision time, for the rows whose
-- writer said so: rows queued before, and rows a process of the previous version still running
-- queues after this migration (its insert names no such column), keep the bare key, so a retry of
-- one is still the repeat it is. (A bound on ids set here missed the second kind: a new CLI command
-- migrated the file under an old serve, whose new rows then went out under two keys.)
ALTER TABLE outbox ADD COLUMN key_with_time INTEGER NOT NULL DEFAULT 0;
`,
  },
  {
    version: 14,
    name: "revoked_sessions: console sessions signed out, refused by every process until their cookie expires",
    sql: `
-- Signing out of the console only cleared the browser's cookie: a copy of it (a shared machine, a
-- proxy's log) was taken for up to 8 hours. Sign-out records the session's id here; a session cookie
-- is taken only while its id is not here. expires_at is the cookie's own expiry: after it the cookie
-- is refused anyway, and the row is deleted (at the next sign-out).
CREATE TABLE revoked_sessions (
  id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);
`,
  },
];
