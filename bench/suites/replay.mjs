// 5. Memory and scale: the real CLI (`restock replay`, apps/worker/dist/cli.js) over generated
// event files of growing size: peak RSS, total time and time per event at each size. Baselines
// in the same run: the CLI replaying an empty file (its footprint before any event) and a plain
// readline + JSON.parse pass over the same file (the floor for streaming it).
import { createReadStream, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { runMeasured } from "../lib/children.mjs";
import { createSqliteDatabase, tempFolder } from "../lib/databases.mjs";
import { loadEventSources, writeReplayFile } from "../lib/event-generator.mjs";
import { formatCount, formatNumber, median } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { WORKER_CLI } from "../lib/workspace.mjs";

export const TARGET_PEAK_RSS = 256 * 2 ** 20;
/** Per-event time at the largest size over the smallest: above this, growth is not linear. */
export const LINEAR_TOLERANCE = 1.5;

const MiB = (bytes) => `${formatNumber(bytes / 2 ** 20, 0)} MiB`;

async function streamFloor(path) {
  const started = performance.now();
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let count = 0;
  for await (const line of lines) if (JSON.parse(line)) count += 1;
  return { seconds: (performance.now() - started) / 1000, count };
}

async function replay(file, dbPath, sources) {
  await createSqliteDatabase(dbPath, sources.integrations);
  const result = await runMeasured([WORKER_CLI, "replay", file, "--db", dbPath, "--no-progress"], { env: { RESTOCK_LOG_LEVEL: "error" } });
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}-wal`, { force: true });
  rmSync(`${dbPath}-shm`, { force: true });
  if (result.code !== 0) throw new Error(`restock replay exited with ${result.code}:\n${result.stderr}`);
  return { ...result, summary: JSON.parse(result.stdout.trim().split("\n").at(-1)) };
}

export async function run({ quick, log }) {
  const sizes = quick ? [1_000, 4_000, 16_000] : [10_000, 100_000, 1_000_000];
  // The largest size runs once (it takes minutes); smaller ones give medians.
  const runsFor = (size, index) => (index === sizes.length - 1 ? 1 : quick ? 1 : size <= 10_000 ? 3 : 1);
  const temp = tempFolder("replay");
  try {
    const sources = await loadEventSources();
    const empty = join(temp.dir, "empty.jsonl");
    writeFileSync(empty, "");
    const idle = await replay(empty, join(temp.dir, "empty.db"), sources);
    log(`empty file: ${formatNumber(idle.seconds, 2)} s, peak RSS ${MiB(idle.peakRssBytes)}`);

    const measured = [];
    for (const [index, size] of sizes.entries()) {
      const file = join(temp.dir, `events-${size}.jsonl`);
      const generatedAt = performance.now();
      const { bytes } = await writeReplayFile(file, sources, size);
      log(`generated ${formatCount(size)} events (${MiB(bytes)}) in ${formatNumber((performance.now() - generatedAt) / 1000, 1)} s`);
      const runs = [];
      for (let i = 0; i < runsFor(size, index); i++) {
        const result = await replay(file, join(temp.dir, `replay-${size}-${i}.db`), sources);
        if (result.summary.lines !== size) throw new Error(`replay read ${result.summary.lines} lines of ${size}`);
        runs.push(result);
        log(
          `${formatCount(size)} events: ${formatNumber(result.seconds, 1)} s, peak RSS ${MiB(result.peakRssBytes)} ${JSON.stringify(result.summary.byStatus)}`,
        );
      }
      const floor = await streamFloor(file);
      rmSync(file, { force: true });
      measured.push({
        size,
        bytes,
        runs: runs.length,
        seconds: median(runs.map((r) => r.seconds)),
        peakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
        byStatus: runs[0].summary.byStatus,
        floorSeconds: floor.seconds,
      });
    }

    const first = measured[0];
    // Net of the CLI's start and stop (the empty replay's time), so small sizes are not dominated by them.
    const perEvent = (m) => (Math.max(0, m.seconds - idle.seconds) / m.size) * 1e6;
    const rows = measured.map((m) => ({
      case: `${formatCount(m.size)} events (${MiB(m.bytes)} JSONL)`,
      figure: `${formatNumber(m.seconds, 1)} s, ${formatNumber(perEvent(m), 0)} µs/event net of start-up, peak RSS ${MiB(m.peakRssBytes)}`,
      value: perEvent(m),
      unit: "µs/event",
      seconds: m.seconds,
      peakRssBytes: m.peakRssBytes,
      byStatus: m.byStatus,
      baseline: `empty replay: ${formatNumber(idle.seconds, 1)} s, ${MiB(idle.peakRssBytes)}; readline+JSON.parse: ${formatNumber((m.floorSeconds / m.size) * 1e6, 1)} µs/event`,
      baselineValue: (m.floorSeconds / m.size) * 1e6,
      relative: `${formatNumber(perEvent(m) / perEvent(first), 2)}× the per-event time at ${formatCount(first.size)}`,
      ratio: perEvent(m) / perEvent(first),
      runs: m.runs,
    }));
    const largest = measured.at(-1);
    const growth = perEvent(largest) / perEvent(first);
    return {
      title: "Memory and scale: restock replay (the CLI)",
      rows,
      targets: [
        {
          target: `replay of ${formatCount(largest.size)} events: peak RSS < ${MiB(TARGET_PEAK_RSS)}`,
          measured: MiB(largest.peakRssBytes),
          met: largest.peakRssBytes < TARGET_PEAK_RSS,
        },
        {
          target: `replay: linear growth (per-event time at ${formatCount(largest.size)} ≤ ${LINEAR_TOLERANCE}× that at ${formatCount(first.size)})`,
          measured: `${formatNumber(growth, 2)}×`,
          met: growth <= LINEAR_TOLERANCE,
        },
      ],
      notes: [
        `Generated events of every marketplace: raw payloads as string bodies, ${formatCount(sources.templates.length)} fixture templates with fresh order ids, partial cancellations as canonical JSON values over two events, ~3% exact redeliveries, ~1% malformed deliveries (rejected to dead letters). The file is streamed to disk, never held in memory.`,
        "Each run: a fresh SQLite database (WAL, synchronous=FULL), `node apps/worker/dist/cli.js replay <file> --db <db> --no-progress`, peak RSS from /usr/bin/time and /proc/<pid>/status VmHWM. The largest size runs once; smaller sizes give medians when run more than once.",
      ],
    };
  } finally {
    temp.cleanup();
  }
}

await suiteMain(import.meta.url, run);
