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
];
