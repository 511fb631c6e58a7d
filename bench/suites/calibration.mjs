// 0. Calibration: the reference operations the benchmark issue quotes for its 2-core machine, measured
// here the same way, so that the absolute targets can be read against this machine's speed:
//   JSON.parse of the 1.9 KB Shopify fixture ~220,000/s; a bare Fastify 202 handler under autocannon
//   ~41,000 req/s; one SQLite commit per request with fsync ~3,500/s; 4 row writes per line in
//   batches of 500 with fsync ~120,000 lines/s.
// Nothing here is restock's code; the figures only say how fast this machine is at those things.
import { join } from "node:path";
import autocannon from "autocannon";
import { startServer } from "../lib/children.mjs";
import { tempFolder } from "../lib/databases.mjs";
import { formatCount, formatNumber, median, throughput } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { ADAPTERS, loadFixtures, ROOT, requireFrom, WORKER_DIR } from "../lib/workspace.mjs";

/** The figures for its machine. */
export const REFERENCE = {
  jsonParse: 220_000,
  bareFastify: 41_000,
  commitPerRequest: 3_500,
  rowWritesPerLine: 120_000,
};

const Database = requireFrom(WORKER_DIR, "better-sqlite3");

function openWal(path) {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  return db;
}

/** One transaction (one fsync) per 1.9 KB request body: commits per second. */
function commitPerRequest(path, body, seconds) {
  const db = openWal(path);
  db.exec("CREATE TABLE requests (id INTEGER PRIMARY KEY, body BLOB NOT NULL, received_at INTEGER NOT NULL)");
  const insert = db.prepare("INSERT INTO requests (body, received_at) VALUES (?, ?)");
  let commits = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    db.transaction(() => insert.run(body, Date.now())).immediate();
    commits++;
  }
  const rate = commits / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

/** Four small rows per line (each with its primary key), 500 lines per transaction: lines per second. */
function rowWritesPerLine(path, lines) {
  const db = openWal(path);
  for (const table of ["a", "b", "c", "d"]) {
    db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, line TEXT NOT NULL, quantity INTEGER NOT NULL, at INTEGER NOT NULL)`);
  }
  const inserts = ["a", "b", "c", "d"].map((table) => db.prepare(`INSERT INTO ${table} (line, quantity, at) VALUES (?, ?, ?)`));
  const batch = db.transaction((from, to) => {
    for (let n = from; n < to; n++) for (const insert of inserts) insert.run(`line-${n}`, n % 7, n);
  });
  const started = performance.now();
  for (let n = 0; n < lines; n += 500) batch.immediate(n, n + 500);
  const rate = lines / ((performance.now() - started) / 1000);
  db.close();
  return rate;
}

async function bareFastify(seconds) {
  const server = await startServer([join(ROOT, "bench/servers/bare-fastify.mjs")]);
  try {
    const load = () =>
      autocannon({
        url: `${server.address}/webhooks/bench`,
        method: "POST",
        connections: 100,
        pipelining: 1,
        duration: seconds,
        headers: { "content-type": "application/json" },
        body: '{"id":1}',
      });
    await load(); // warm-up
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await load())["2xx"] / seconds);
    return median(runs);
  } finally {
    await server.stop();
  }
}

export async function run({ quick, log }) {
  const shopify = ADAPTERS.find((adapter) => adapter.id === "shopify");
  const fixture = loadFixtures(shopify).find((f) => f.name === "orders-cancelled-customer");
  if (!fixture) throw new Error("the Shopify orders-cancelled-customer fixture is missing");
  const text = fixture.text;
  const temp = tempFolder("calibration");
  try {
    const parses = median(Array.from({ length: quick ? 3 : 7 }, () => throughput(() => JSON.parse(text), quick ? 100 : 300)));
    log(`JSON.parse: ${formatCount(parses)}/s`);
    const fastify = await bareFastify(quick ? 2 : 5);
    log(`bare Fastify: ${formatCount(fastify)} req/s`);
    const body = Buffer.from(text);
    const commits = median(Array.from({ length: 3 }, (_, i) => commitPerRequest(join(temp.dir, `commit-${i}.db`), body, quick ? 1 : 3)));
    log(`one commit per request: ${formatCount(commits)}/s`);
    const lines = median(Array.from({ length: 3 }, (_, i) => rowWritesPerLine(join(temp.dir, `rows-${i}.db`), quick ? 50_000 : 200_000)));
    log(`4 row writes per line: ${formatCount(lines)} lines/s`);

    const row = (name, value, unit, reference) => ({
      case: name,
      figure: `${formatCount(value)} ${unit}`,
      value,
      unit,
      baseline: `the issue's machine: ${formatCount(reference)} ${unit}`,
      baselineValue: reference,
      relative: `${formatNumber(value / reference, 2)}× the issue's machine`,
      ratio: value / reference,
      runs: 3,
    });
    return {
      title: "Calibration: the issue's reference operations on this machine",
      rows: [
        row(`JSON.parse of the Shopify orders/cancelled fixture (${formatCount(text.length)} B)`, parses, "/s", REFERENCE.jsonParse),
        row("bare Fastify 202 handler, autocannon, 100 connections", fastify, "req/s", REFERENCE.bareFastify),
        row("one SQLite commit per request (1.9 KB row, WAL, synchronous=FULL)", commits, "commits/s", REFERENCE.commitPerRequest),
        row("4 row writes per line, 500 lines per transaction (WAL, synchronous=FULL)", lines, "lines/s", REFERENCE.rowWritesPerLine),
      ],
      targets: [],
      notes: [
        "The benchmark issue set its absolute targets on a machine where these operations ran at the reference figures. Where this machine is slower at the operation a target rests on (HTTP for intake, SQLite row writes for processing), that absolute target is harder here by the same factor; the targets expressed as a share of a baseline measured in the same run are not affected.",
      ],
    };
  } finally {
    temp.cleanup();
  }
}

await suiteMain(import.meta.url, run);
