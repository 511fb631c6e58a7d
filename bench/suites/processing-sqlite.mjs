// 3. Processing on SQLite: lines per second from inbox to ledger (claim, parse, classify, decide,
// decisions audit, line progress, adjustments, on-hand) against a plain better-sqlite3 loop
// writing the same rows in transactions of the same number of events, same fsync setting.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { createSqliteDatabase, tempFolder } from "../lib/databases.mjs";
import { loadEventSources } from "../lib/event-generator.mjs";
import { fillInbox } from "../lib/inbox-fill.mjs";
import { preparePlainWrites, readWrittenRows } from "../lib/plain-writes.mjs";
import { formatCount, formatPercent, median, paired } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { importWorker, requireFrom, WORKER_DIR } from "../lib/workspace.mjs";

export const TARGET_LINES_PER_SECOND = 25_000;
export const TARGET_SHARE = 0.25;
const BATCH_SIZE = 500;

const Database = requireFrom(WORKER_DIR, "better-sqlite3");

// The worker's connection settings (apps/worker/src/store/sqlite/open-sqlite-store.ts), so the
// baseline differs from the worker only in what it does not do: claim, evaluate, decide.
function openLikeTheWorker(path) {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -16384");
  db.pragma("temp_store = MEMORY");
  db.pragma("wal_autocheckpoint = 8192");
  return db;
}

export async function run({ quick, log }) {
  const events = quick ? 5_000 : 50_000;
  const rounds = quick ? 2 : 5;
  const { createWorker, loadConfig } = await importWorker();
  const temp = tempFolder("sqlite");
  try {
    const sources = await loadEventSources();
    const pristine = await createSqliteDatabase(join(temp.dir, "pristine.db"), sources.integrations);
    const configFor = (dbPath) =>
      loadConfig({ env: {}, flags: { dbPath, logLevel: "warn", accessLog: false, "processing.batchSize": BATCH_SIZE } });
    const filled = await fillInbox(configFor(pristine), sources, events);
    log(`inbox filled: ${JSON.stringify(filled)}`);

    // The rows one worker run writes are the baseline's rows.
    let rows;
    let copies = 0;
    const fresh = () => {
      const path = join(temp.dir, `run-${copies++}.db`);
      copyFileSync(pristine, path);
      return path;
    };

    const processWithWorker = async () => {
      const path = fresh();
      const worker = await createWorker(configFor(path));
      const started = performance.now();
      await worker.processor.drain();
      const seconds = (performance.now() - started) / 1000;
      await worker.stop();
      const db = new Database(path, { readonly: true });
      const written = readWrittenRows(db);
      db.close();
      rows ??= written;
      return { seconds, lines: written.lines, events: written.events.length };
    };

    const plainWrites = async () => {
      const db = openLikeTheWorker(fresh());
      const write = preparePlainWrites(db);
      const now = Date.now();
      const started = performance.now();
      for (let i = 0; i < rows.events.length; i += BATCH_SIZE) write.immediate(rows.events.slice(i, i + BATCH_SIZE), now);
      const seconds = (performance.now() - started) / 1000;
      db.close();
      return { seconds, lines: rows.lines, events: rows.events.length };
    };

    // The first worker run (the warm-up) records the rows; the baseline's warm-up follows it.
    const { subjects, baselines } = await paired({
      rounds,
      warmup: false,
      subject: processWithWorker,
      baseline: async () => {
        if (!rows) await processWithWorker();
        return plainWrites();
      },
      onRound: (round, own, base) =>
        log(
          `round ${round + 1}: worker ${formatCount(own.lines / own.seconds)} lines/s (${formatCount(own.events / own.seconds)} events/s), ` +
            `plain writes ${formatCount(base.lines / base.seconds)} lines/s`,
        ),
    });
    const linesPerSecond = median(subjects.map((r) => r.lines / r.seconds));
    const eventsPerSecond = median(subjects.map((r) => r.events / r.seconds));
    const baseline = median(baselines.map((r) => r.lines / r.seconds));
    const share = median(subjects.map((r, i) => baselines[i].seconds / r.seconds));
    return {
      title: "Processing on SQLite: inbox to ledger",
      rows: [
        {
          case: `${formatCount(rows.events.length)} events (${formatCount(rows.lines)} lines), batches of ${BATCH_SIZE}`,
          figure: `${formatCount(linesPerSecond)} lines/s (${formatCount(eventsPerSecond)} events/s)`,
          value: linesPerSecond,
          unit: "lines/s",
          eventsPerSecond,
          baseline: `plain better-sqlite3 writes: ${formatCount(baseline)} lines/s`,
          baselineValue: baseline,
          relative: `${formatPercent(share)} of plain writes`,
          ratio: share,
          runs: rounds,
        },
      ],
      targets: [
        {
          target: `SQLite processing ≥ ${formatCount(TARGET_LINES_PER_SECOND)} lines/s`,
          measured: `${formatCount(linesPerSecond)} lines/s`,
          met: linesPerSecond >= TARGET_LINES_PER_SECOND,
        },
        {
          target: `SQLite processing ≥ ${formatPercent(TARGET_SHARE)} of plain writes`,
          measured: formatPercent(share),
          met: share >= TARGET_SHARE,
        },
      ],
      notes: [
        `Inbox filled through the worker's intake with generated events of every marketplace (${JSON.stringify(filled)} by intake status; redeliveries become duplicates). WAL, synchronous=FULL, the worker's page cache and checkpoint interval for both sides; ${rounds} interleaved rounds on fresh copies of the same inbox, medians.`,
        "A line is one decided order line (one decisions row); the plain loop writes the same inbox updates, decisions, on-hand and ignored rows (adjustments and line progress are read from decisions: the worker writes neither separately).",
      ],
    };
  } finally {
    temp.cleanup();
  }
}

await suiteMain(import.meta.url, run);
