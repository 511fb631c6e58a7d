// 4. Processing on PostgreSQL: lines per second from the shared inbox to the ledger with 1, 2 and
// 4 worker processes, against plain batched inserts (unnest) of the same rows from one connection,
// in transactions of the same number of events. Runs on a throwaway cluster on 127.0.0.1
// (scripts/pg-test-cluster.mjs), and only when the worker has a PostgreSQL store.
import { fork } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadEventSources } from "../lib/event-generator.mjs";
import { fillInbox } from "../lib/inbox-fill.mjs";
import { formatCount, formatPercent, median, pairedCases } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { importWorker, ROOT, requireFrom, WORKER_DIR } from "../lib/workspace.mjs";

export const TARGET_LINES_PER_SECOND = 10_000;
const TARGET_WORKERS = 2;
/** Not the tests' port (54329): the benchmark starts and stops its own cluster. */
const PORT = 54339;

const title = "Processing on PostgreSQL: inbox to ledger";

function skipped(reason) {
  return { title, skipped: reason, rows: [], targets: [], notes: [] };
}

/** pg with BIGINT read as numbers, as the store reads them. */
function pgClient(url) {
  const pg = requireFrom(WORKER_DIR, "pg");
  const int8 = pg.types.builtins.INT8;
  return new pg.Client({
    connectionString: url,
    types: { getTypeParser: (oid, format) => (oid === int8 ? Number : pg.types.getTypeParser(oid, format)) },
  });
}

async function columnsOf(client, table) {
  const { rows } = await client.query(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public' ORDER BY ordinal_position",
    [table],
  );
  return rows.map((row) => ({ name: row.column_name, type: row.data_type === "character varying" ? "text" : row.data_type }));
}

/** One INSERT ... SELECT FROM unnest(...) for all rows: one array parameter per column. */
async function insertRows(client, table, columns, rows, onConflict = "") {
  if (rows.length === 0) return;
  const arrays = columns.map((column) => rows.map((row) => row[column.name] ?? null));
  const unnest = columns.map((column, i) => `$${i + 1}::${column.type}[]`).join(", ");
  await client.query(
    `INSERT INTO ${table} (${columns.map((c) => c.name).join(", ")}) SELECT * FROM unnest(${unnest}) ${onConflict}`,
    arrays,
  );
}

/** The rows a worker run wrote, by event, in inbox order (the baseline writes them again). */
async function readWrittenRows(url) {
  const client = pgClient(url);
  await client.connect();
  try {
    const events = (await client.query("SELECT id, status, duplicate_of FROM inbox ORDER BY id")).rows;
    const decisions = (await client.query("SELECT * FROM decisions ORDER BY id")).rows;
    const ignored = (await client.query("SELECT * FROM ignored_events ORDER BY id")).rows;
    const columns = {
      decisions: await columnsOf(client, "decisions"),
      ignored: (await columnsOf(client, "ignored_events")).filter((c) => c.name !== "id"),
    };
    const byEvent = new Map(events.map((event) => [event.id, { event, decisions: [], ignored: [] }]));
    for (const row of decisions) byEvent.get(row.event_id)?.decisions.push(row);
    for (const row of ignored) byEvent.get(row.event_id)?.ignored.push(row);
    return { events: [...byEvent.values()], lines: decisions.length, columns };
  } finally {
    await client.end();
  }
}

/**
 * Writes a batch of events' rows in one transaction: a handful of set-based statements. Adjustments
 * are the decisions that restored units (a view since migration 4): nothing more to write for them.
 */
async function writeBatch(client, rows, batch, now) {
  const decisions = batch.flatMap((e) => e.decisions);
  const progress = new Map();
  for (const d of decisions) {
    const key = `${d.integration_id}\u0000${d.order_id}\u0000${d.line_id}`;
    if ((progress.get(key)?.processed_quantity ?? 0) < d.quantity) {
      progress.set(key, {
        integration_id: d.integration_id,
        order_id: d.order_id,
        line_id: d.line_id,
        processed_quantity: d.quantity,
        updated_at: now,
      });
    }
  }
  const onHand = new Map();
  for (const d of decisions) {
    if (d.restored_now === 0) continue;
    const key = `${d.account}\u0000${d.sku}`;
    const total = onHand.get(key) ?? { account: d.account, sku: d.sku, on_hand: 0, updated_at: now };
    total.on_hand += d.restored_now;
    onHand.set(key, total);
  }
  await client.query("BEGIN");
  await client.query(
    `UPDATE inbox e SET status = u.status, duplicate_of = u.duplicate_of, processed_at = $1
     FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS u(id, status, duplicate_of) WHERE e.id = u.id`,
    [now, batch.map((e) => e.event.id), batch.map((e) => e.event.status), batch.map((e) => e.event.duplicate_of)],
  );
  await insertRows(client, "decisions", rows.columns.decisions, decisions);
  await insertRows(
    client,
    "line_progress",
    [
      { name: "integration_id", type: "text" },
      { name: "order_id", type: "text" },
      { name: "line_id", type: "text" },
      { name: "processed_quantity", type: "bigint" },
      { name: "updated_at", type: "bigint" },
    ],
    [...progress.values()],
    "ON CONFLICT (integration_id, order_id, line_id) DO UPDATE SET processed_quantity = excluded.processed_quantity, updated_at = excluded.updated_at",
  );
  await insertRows(
    client,
    "inventory",
    [
      { name: "account", type: "text" },
      { name: "sku", type: "text" },
      { name: "on_hand", type: "bigint" },
      { name: "updated_at", type: "bigint" },
    ],
    [...onHand.values()],
    "ON CONFLICT (account, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = excluded.updated_at",
  );
  await insertRows(
    client,
    "ignored_events",
    rows.columns.ignored,
    batch.flatMap((e) => e.ignored),
  );
  await client.query("COMMIT");
}

async function startWorkers(url, count, batchSize) {
  const children = [];
  for (let i = 0; i < count; i++) {
    const child = fork(join(ROOT, "bench/servers/pg-drain.mjs"), [url, String(batchSize)], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.push(child);
  }
  await Promise.all(children.map((child) => once(child, "message")));
  return children;
}

export async function run({ quick, log }) {
  if (!existsSync(join(ROOT, "apps/worker/src/store/postgres"))) return skipped("no PostgreSQL store");
  const cluster = await import(pathToFileURL(join(ROOT, "scripts/pg-test-cluster.mjs")).href);
  if (!cluster.findPgBin()) return skipped("PostgreSQL is not installed (apt-get install -y postgresql)");
  const events = quick ? 2_000 : 50_000;
  const rounds = quick ? 1 : 3;
  const adminUrl = cluster.startCluster(PORT);
  const urlOf = (database) => adminUrl.replace(/\/[^/]*$/, `/${database}`);
  const admin = pgClient(adminUrl);
  await admin.connect();
  const created = [];
  let copies = 0;
  try {
    const { DEFAULT_BATCH_SIZE, loadConfig, processingBatchSize } = await importWorker();
    const sources = await loadEventSources();
    await admin.query("DROP DATABASE IF EXISTS bench_filled");
    await admin.query("CREATE DATABASE bench_filled");
    created.push("bench_filled");
    const config = loadConfig({ env: {}, flags: { databaseUrl: urlOf("bench_filled"), logLevel: "warn" } });
    // The worker's default for PostgreSQL, and (2 workers) SQLite's larger default, which is why
    // the two stores' defaults differ.
    const batchSize = processingBatchSize(config, "postgres");
    const largerBatchSize = DEFAULT_BATCH_SIZE.sqlite;
    const cases = [
      { count: 1, batchSize },
      { count: 2, batchSize },
      { count: 4, batchSize },
      { count: 2, batchSize: largerBatchSize },
    ];
    const { createWorker } = await importWorker();
    // Integrations through the worker's own settings (the store migrates the schema on open).
    const setup = await createWorker(config);
    for (const integration of sources.integrations) {
      await setup.settings.put(integration.id, { marketplace: integration.marketplace, account: "bench", mode: "smart" }, "cli");
    }
    await setup.stop();
    const filled = await fillInbox(config, sources, events);
    log(`inbox filled: ${JSON.stringify(filled)}`);

    // Every run works on its own copy of the filled database.
    const fresh = async () => {
      const name = `bench_run_${copies++}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE bench_filled`);
      created.push(name);
      return name;
    };
    const drop = async (name) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      created.splice(created.indexOf(name), 1);
    };

    let rows;
    const processWith = async (count, size) => {
      const name = await fresh();
      const children = await startWorkers(urlOf(name), count, size);
      const done = children.map((child) => once(child, "message"));
      const started = performance.now();
      for (const child of children) child.send("go");
      await Promise.all(done);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(children.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
      const written = await readWrittenRows(urlOf(name));
      const check = pgClient(urlOf(name));
      await check.connect();
      const pending = Number((await check.query("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'")).rows[0].n);
      await check.end();
      rows ??= written;
      await drop(name);
      return { seconds, lines: written.lines, events: written.events.length, pending };
    };
    const plainInserts = async (size) => {
      if (!rows) await processWith(1, batchSize);
      const name = await fresh();
      const client = pgClient(urlOf(name));
      await client.connect();
      const now = Date.now();
      const started = performance.now();
      for (let i = 0; i < rows.events.length; i += size) await writeBatch(client, rows, rows.events.slice(i, i + size), now);
      const seconds = (performance.now() - started) / 1000;
      await client.end();
      await drop(name);
      return { seconds, lines: rows.lines, events: rows.events.length };
    };

    const resultRows = [];
    const targets = [];
    const notes = [];
    // Rounds interleave the cases as well as worker and baseline, so every case sees the same machine
    // (its speed moves within minutes).
    // Warm-up (not counted): the first worker run records the rows the baselines write again.
    if (!quick) {
      await plainInserts(batchSize);
      await processWith(1, batchSize);
    }
    const runs = await pairedCases({
      rounds,
      cases,
      subject: ({ count, batchSize: size }) => processWith(count, size),
      baseline: ({ batchSize: size }) => plainInserts(size),
      onRound: (round, { count, batchSize: size }, own, base) =>
        log(
          `round ${round + 1}, ${count} worker(s), batches of ${size}: ${formatCount(own.lines / own.seconds)} lines/s` +
            `${own.pending ? ` (${own.pending} left pending)` : ""}, plain inserts ${formatCount(base.lines / base.seconds)} lines/s`,
        ),
    });
    for (const [i, { count, batchSize: size }] of cases.entries()) {
      const { subjects, baselines } = runs[i];
      const linesPerSecond = median(subjects.map((r) => r.lines / r.seconds));
      const baseline = median(baselines.map((r) => r.lines / r.seconds));
      const share = median(subjects.map((r, i) => baselines[i].seconds / r.seconds));
      const leftPending = Math.max(...subjects.map((r) => r.pending));
      if (leftPending > 0)
        notes.push(
          `${count} worker(s), batches of ${size}: up to ${leftPending} events were still pending when every worker's drain ended.`,
        );
      resultRows.push({
        case: `${count} worker process${count > 1 ? "es" : ""}, ${formatCount(rows.events.length)} events (${formatCount(rows.lines)} lines)${size === batchSize ? "" : `, batches of ${formatCount(size)}`}`,
        figure: `${formatCount(linesPerSecond)} lines/s (${formatCount(median(subjects.map((r) => r.events / r.seconds)))} events/s)`,
        value: linesPerSecond,
        unit: "lines/s",
        baseline: `plain batched inserts, 1 connection: ${formatCount(baseline)} lines/s`,
        baselineValue: baseline,
        relative: `${formatPercent(share)} of plain inserts`,
        ratio: share,
        batchSize: size,
        runs: rounds,
      });
      if (count === TARGET_WORKERS && size === batchSize) {
        targets.push({
          target: `PostgreSQL processing ≥ ${formatCount(TARGET_LINES_PER_SECOND)} lines/s with ${TARGET_WORKERS} workers`,
          measured: `${formatCount(linesPerSecond)} lines/s`,
          met: linesPerSecond >= TARGET_LINES_PER_SECOND,
        });
      }
    }
    notes.unshift(
      `Throwaway cluster on 127.0.0.1:${PORT} (synchronous_commit on); inbox filled through the worker's intake (${JSON.stringify(filled)} by status); every run on a fresh copy (CREATE DATABASE … TEMPLATE), batches of ${formatCount(batchSize)} (the worker's default for PostgreSQL) unless the row says otherwise (${formatCount(largerBatchSize)}: the SQLite store's default), medians of ${rounds} rounds, each running every case in turn (worker and baseline interleaved). The baseline writes the same inbox updates, decisions, line progress, on-hand and ignored rows with unnest statements (adjustments are the restoring decisions, read through a view), one transaction per as many events as its row's worker batch.`,
    );
    return { title, rows: resultRows, targets, notes };
  } finally {
    for (const name of [...created].reverse()) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
    cluster.stopCluster(PORT);
  }
}

await suiteMain(import.meta.url, run);
