// 3. Processing on SQLite: lines per second from inbox to ledger (claim, parse, classify, decide,
// decisions audit, line progress, adjustments, on-hand) against a plain better-sqlite3 loop
// writing the same rows in transactions of the same number of events, same fsync setting.
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { createSqliteDatabase, tempFolder } from "../lib/databases.mjs";
import { loadEventSources } from "../lib/event-generator.mjs";
import { fillInbox } from "../lib/inbox-fill.mjs";
import { preparePlainWrites, readWrittenRows } from "../lib/plain-writes.mjs";
import { formatCount, formatPercent, median, pairedCases } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { importWorker, requireFrom, WORKER_DIR } from "../lib/workspace.mjs";

export const TARGET_LINES_PER_SECOND = 25_000;
export const TARGET_SHARE = 0.25;
/** The batch size the worker used before it defaulted to 2,000: its row shows what batching buys. */
const EARLIER_BATCH_SIZE = 500;

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
  const { createWorker, loadConfig, processingBatchSize } = await importWorker();
  const temp = tempFolder("sqlite");
  try {
    const sources = await loadEventSources();
    const pristine = await createSqliteDatabase(join(temp.dir, "pristine.db"), sources.integrations);
    const configFor = (dbPath, batchSize) =>
      loadConfig({
        env: {},
        flags: { dbPath, logLevel: "warn", accessLog: false, ...(batchSize ? { "processing.batchSize": batchSize } : {}) },
      });
    // The worker's default first (the target's figure), then the earlier default.
    const batchSizes = [processingBatchSize(configFor(pristine), "sqlite"), EARLIER_BATCH_SIZE];
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

    const processWithWorker = async (batchSize) => {
      const path = fresh();
      const worker = await createWorker(configFor(path, batchSize));
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

    const plainWrites = async (batchSize) => {
      const db = openLikeTheWorker(fresh());
      const write = preparePlainWrites(db);
      const now = Date.now();
      const started = performance.now();
      for (let i = 0; i < rows.events.length; i += batchSize) write.immediate(rows.events.slice(i, i + batchSize), now);
      const seconds = (performance.now() - started) / 1000;
      db.close();
      return { seconds, lines: rows.lines, events: rows.events.length };
    };

    // The first worker run (the warm-up) records the rows the baselines write again. Rounds
    // interleave the batch sizes as well as worker and baseline, so both sizes see the same machine.
    await processWithWorker(batchSizes[0]);
    const runs = await pairedCases({
      rounds,
      cases: batchSizes,
      subject: processWithWorker,
      baseline: plainWrites,
      onRound: (round, batchSize, own, base) =>
        log(
          `round ${round + 1}, batches of ${batchSize}: worker ${formatCount(own.lines / own.seconds)} lines/s (${formatCount(own.events / own.seconds)} events/s), ` +
            `plain writes ${formatCount(base.lines / base.seconds)} lines/s`,
        ),
    });
    const cases = runs.map(({ subjects, baselines }, i) => ({
      batchSize: batchSizes[i],
      linesPerSecond: median(subjects.map((r) => r.lines / r.seconds)),
      eventsPerSecond: median(subjects.map((r) => r.events / r.seconds)),
      baseline: median(baselines.map((r) => r.lines / r.seconds)),
      share: median(subjects.map((r, j) => baselines[j].seconds / r.seconds)),
    }));
    const [byDefault] = cases;
    return {
      title: "Processing on SQLite: inbox to ledger",
      rows: cases.map((c, i) => ({
        case: `${formatCount(rows.events.length)} events (${formatCount(rows.lines)} lines), batches of ${formatCount(c.batchSize)}${i === 0 ? " (the default)" : ""}`,
        figure: `${formatCount(c.linesPerSecond)} lines/s (${formatCount(c.eventsPerSecond)} events/s)`,
        value: c.linesPerSecond,
        unit: "lines/s",
        eventsPerSecond: c.eventsPerSecond,
        batchSize: c.batchSize,
        baseline: `plain better-sqlite3 writes: ${formatCount(c.baseline)} lines/s`,
        baselineValue: c.baseline,
        relative: `${formatPercent(c.share)} of plain writes`,
        ratio: c.share,
        runs: rounds,
      })),
      targets: [
        {
          target: `SQLite processing ≥ ${formatCount(TARGET_LINES_PER_SECOND)} lines/s`,
          measured: `${formatCount(byDefault.linesPerSecond)} lines/s`,
          met: byDefault.linesPerSecond >= TARGET_LINES_PER_SECOND,
        },
        {
          target: `SQLite processing ≥ ${formatPercent(TARGET_SHARE)} of plain writes`,
          measured: formatPercent(byDefault.share),
          met: byDefault.share >= TARGET_SHARE,
        },
      ],
      notes: [
        `Inbox filled through the worker's intake with generated events of every marketplace (${JSON.stringify(filled)} by intake status; redeliveries become duplicates). WAL, synchronous=FULL, the worker's page cache and checkpoint interval for both sides; ${rounds} interleaved rounds on fresh copies of the same inbox, medians.`,
        `Targets are read at the worker's default batch size (${formatCount(byDefault.batchSize)} events per transaction); the row at ${formatCount(EARLIER_BATCH_SIZE)} is the earlier default, measured in the same run. The baseline writes in transactions of the same number of events as the row's worker.`,
        "A line is one decided order line (one decisions row); the plain loop writes the same inbox updates, decisions, on-hand and ignored rows (adjustments and line progress are read from decisions: the worker writes neither separately).",
      ],
    };
  } finally {
    temp.cleanup();
  }
}

await suiteMain(import.meta.url, run);
