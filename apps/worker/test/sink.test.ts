import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { createHttpSink, type HttpSink } from "../src/sinks/http-sink.js";
import type { Store } from "../src/store/store.js";
import { CLAIMED_NO_ANSWER } from "../src/store/types.js";
import { createWorker } from "../src/worker.js";
import { channelCancellation } from "./helpers/payloads.js";
import { jsonLines, runCli } from "./helpers/run-cli.js";
import { API_TOKEN, startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";
import { until } from "./helpers/until.js";

const dir = tempDir();
const silent = createLogger("silent");

interface Delivery {
  key: string;
  body: { adjustmentId: number; sku: string; delta: number; account: string; orderId: string; lineId: string; lineRestoredTotal: number };
}

/** The host's inventory service: records every request; applies each Idempotency-Key once; fails every third request after applying it (a lost answer). */
function hostService() {
  const requests: Delivery[] = [];
  const applied = new Map<string, Delivery["body"]>();
  let count = 0;
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      const key = String(request.headers["idempotency-key"]);
      const body = JSON.parse(text) as Delivery["body"];
      requests.push({ key, body });
      if (!applied.has(key)) applied.set(key, body);
      count += 1;
      response.statusCode = count % 3 === 0 ? 500 : 200;
      response.end();
    });
  });
  return { server, requests, applied };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

let t: TestWorker | undefined;
let host: Server | undefined;
afterAll(async () => {
  await t?.stop();
  host?.close();
});

test("host down, then up: every adjustment arrives, each under its own Idempotency-Key, none lost", async () => {
  const port = await freePort();
  t = await startWorker(
    dir,
    {
      "sink.url": `http://127.0.0.1:${port}/inventory/adjustments`,
      "sink.retryBaseMs": 10,
      "sink.retryMaxMs": 100,
      "sink.pollMs": 20,
      "sink.concurrency": 4,
      "processing.pollMs": 20,
    },
    { run: true },
  );
  await t.worker.settings.put("shop", { marketplace: "woocommerce", webhookSecret: "shop-secret-1" }, "api");
  const deliver = (body: string) =>
    t!.worker.intake.receive({ integrationId: "shop", body, contentType: "application/json", source: "api" });

  // 30 orders × 2 lines, then a second partial cancellation on 10 of them, and duplicates.
  for (let n = 0; n < 30; n++) {
    const body = channelCancellation(`S-${n}`, [
      { lineId: "1", sku: `SKU-${n % 7}`, quantity: 1 },
      { lineId: "2", sku: "MUG", quantity: 2 },
    ]);
    await deliver(body);
    await deliver(body);
  }
  for (let n = 0; n < 10; n++) {
    await deliver(channelCancellation(`S-${n}`, [{ lineId: "1", sku: `SKU-${n % 7}`, quantity: 3 }]));
  }
  await until(async () => (await t!.worker.store.inboxDepth()) === 0);
  const adjustments = await t.worker.store.listAdjustments({ integrationId: "shop", limit: 1000 });
  expect(adjustments).toHaveLength(70);
  // The host is down: deliveries fail and stay in the outbox.
  await until(
    async () => ((await t!.worker.metrics.sinkDeliveries.get()).values.find((v) => v.labels.result === "failed")?.value ?? 0) >= 1,
  );
  expect(await t.worker.store.outboxDepth()).toBe(70);

  const service = hostService();
  host = service.server;
  await new Promise<void>((resolve) => service.server.listen(port, "127.0.0.1", resolve));
  await until(async () => (await t!.worker.store.outboxDepth()) === 0);

  expect(service.applied.size).toBe(adjustments.length);
  for (const adjustment of adjustments) {
    expect(service.applied.get(`${adjustment.id}-${adjustment.createdAt}`)).toMatchObject({
      adjustmentId: adjustment.id,
      sku: adjustment.sku,
      delta: adjustment.delta,
      account: "shop",
      orderId: adjustment.orderId,
      lineId: adjustment.lineId,
    });
  }
  // Answers lost by the host (500 after applying) were retried under the same key.
  expect(service.requests.length).toBeGreaterThan(service.applied.size);
  const units = [...service.applied.values()].reduce((sum, body) => sum + body.delta, 0);
  expect(units).toBe(30 * 3 + 10 * 2);
  // Each line's running total: a host keeping the highest per line applies the same units, and
  // would skip units decided again after a restore from a backup.
  const highest = new Map<string, number>();
  for (const body of service.applied.values()) {
    const line = `${body.orderId}/${body.lineId}`;
    highest.set(line, Math.max(highest.get(line) ?? 0, body.lineRestoredTotal));
  }
  expect([...highest.values()].reduce((sum, total) => sum + total, 0)).toBe(units);
  // Order S-0's line 1: 1 unit, then 2 more: its second adjustment says 3.
  const second = adjustments.find((a) => a.orderId === "S-0" && a.lineId === "1" && a.delta === 2)!;
  expect(service.applied.get(`${second.id}-${second.createdAt}`)?.lineRestoredTotal).toBe(3);
});

/** Fills the outbox: a worker with a sink that is not running, `orders` one-line cancellations decided. */
async function workerWithOutbox(name: string, orders: number): Promise<TestWorker> {
  const worker = await startWorker(dir, { "sink.url": "http://127.0.0.1:9/unused" }, { name });
  // What the worker's start does with a sink URL, without starting its sink.
  await worker.worker.store.setHostSink(true, Date.now(), "test");
  await worker.worker.settings.put("shop", { marketplace: "woocommerce", webhookSecret: "shop-secret-1" }, "api");
  for (let n = 0; n < orders; n++) {
    const body = channelCancellation(`${name}-${n}`, [{ lineId: "1", sku: "MUG", quantity: 1 }]);
    await worker.worker.intake.receive({ integrationId: "shop", body, contentType: "application/json", source: "api" });
  }
  await worker.drain();
  expect(await worker.worker.store.outboxDepth()).toBe(orders);
  return worker;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sinkOptions = { timeoutMs: 1_000, concurrency: 8, batchSize: 100, retryBaseMs: 10, retryMaxMs: 100, pollMs: 20, headers: {} };

// An http -> https redirect in front of the host, say: followed, fetch sent the POST again as a
// bodiless GET, and the landing page's 200 marked every adjustment delivered.
test("a host that answers a redirect has not received the adjustment: it stays in the outbox, as for any non-2xx", async () => {
  const worker = await workerWithOutbox("redirected", 5);
  const methods: string[] = [];
  const redirecting = createServer((request, response) => {
    methods.push(request.method ?? "");
    request.resume();
    if (request.method === "POST") response.writeHead(301, { location: "/landing" }).end();
    else response.writeHead(200).end("welcome");
  });
  try {
    const url = await listen(redirecting);
    const sink = createHttpSink(worker.worker.store, { ...sinkOptions, url: `${url}/adjustments` }, worker.worker.metrics, silent);
    expect(await sink.deliverBatch()).toBe(5);
    expect(methods).toEqual(Array(5).fill("POST"));
    expect(await worker.worker.store.outboxDepth()).toBe(5);
  } finally {
    redirecting.close();
    await worker.stop();
  }
});

// Two workers share one outbox. Claimed 100 at a time and sent 8 by 8, the rows at the end of a
// claim outlived its lease behind a slow host, and the other worker delivered them as well.
test("two workers behind a slow host deliver every adjustment once: a worker claims only what it sends at once", async () => {
  const worker = await workerWithOutbox("shared", 40);
  const keys: string[] = [];
  // 300 ms an answer: a claim of 40 sent 2 by 2 would take 6 s, against a lease of 2 × 1,000 + 1,000 ms.
  // The timeout leaves room for a loaded machine: an answer later than it is a failed delivery, sent
  // again under its key (at-least-once), which is not what this test looks for (it was 400 ms, and a
  // busy machine made 44 deliveries of 40).
  const slow = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      setTimeout(() => {
        keys.push(String(request.headers["idempotency-key"]));
        response.writeHead(200).end();
      }, 300);
    });
  });
  const sinks: HttpSink[] = [];
  try {
    const url = await listen(slow);
    for (let i = 0; i < 2; i++) {
      const options = { ...sinkOptions, url, timeoutMs: 1_000, concurrency: 2 };
      sinks.push(createHttpSink(worker.worker.store, options, worker.worker.metrics, silent));
    }
    for (const sink of sinks) sink.start();
    await until(async () => (await worker.worker.store.outboxDepth()) === 0, 30_000);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
  } finally {
    for (const sink of sinks) await sink.stop();
    slow.close();
    await worker.stop();
  }
}, 60_000);

// A replay (or an instance set up differently) without the sink URL decided events whose
// adjustments never reached the host: queueing for a host sink is the database's state now, so it
// queues them, and a process with the URL delivers them.
test("a replay without a sink URL on a database with a host sink queues its adjustments, and a serving process with the URL delivers them", async () => {
  const worker = await workerWithOutbox("unheard", 1);
  await worker.stop();
  const file = join(dir, "unheard.jsonl");
  const body = channelCancellation("unheard-late", [{ lineId: "1", sku: "MUG", quantity: 2 }]);
  writeFileSync(file, `${JSON.stringify({ integrationId: "shop", body })}\n`);
  const replay = await runCli(["replay", file, "--db", join(dir, "unheard.db"), "--no-progress"]);
  expect(replay.code).toBe(0);
  expect(replay.stderr).toContain("this database queues adjustments for a host sink; this process has no sink URL");
  const service = hostService();
  const url = await listen(service.server);
  const serving = await startWorker(
    dir,
    { "sink.url": url, "sink.retryBaseMs": 10, "sink.retryMaxMs": 50 },
    { name: "unheard", run: true },
  );
  try {
    await until(async () => (await serving.worker.store.outboxDepth()) === 0);
    expect([...service.applied.values()].map((body) => [body.orderId, body.delta]).sort()).toEqual([
      ["unheard-0", 1],
      ["unheard-late", 2],
    ]);
  } finally {
    await serving.stop();
    service.server.close();
  }
  // On a database that never had a sink: no outbox rows, nothing to say.
  const fresh = await runCli(["replay", file, "--db", join(dir, "no-sink-ever.db"), "--no-progress"]);
  expect(fresh.stderr).not.toContain("host sink");
  const never = await startWorker(dir, {}, { name: "no-sink-ever" });
  try {
    expect(await never.worker.store.outboxDepth()).toBe(0);
    expect((await never.worker.store.hostSink()).enabled).toBe(false);
  } finally {
    await never.stop();
  }
});

// fetch says only "fetch failed"; the reason is in its cause. An operator reading the log needs it.
test("a failed delivery is logged with its reason (a refused connection: ECONNREFUSED), not only fetch's 'fetch failed'", async () => {
  const worker = await workerWithOutbox("refused", 1);
  const lines: string[] = [];
  const logger = createLogger("warn", { write: (line: string) => lines.push(line) });
  try {
    const url = `http://127.0.0.1:${await freePort()}/adjustments`;
    const sink = createHttpSink(worker.worker.store, { ...sinkOptions, url }, worker.worker.metrics, logger);
    expect(await sink.deliverBatch()).toBe(1);
    const warning = lines
      .map((line) => JSON.parse(line) as { msg: string; error: string })
      .find((entry) => entry.msg.startsWith("adjustment delivery"));
    expect(warning?.error).toBe("fetch failed: ECONNREFUSED");
  } finally {
    await worker.stop();
  }
});

// fetch's own words for its timeout, "The operation was aborted due to timeout", named neither the
// host nor the setting to raise; an operator reading `restock sink undelivered` had to guess.
test("a host that does not answer in time: the last error says so and names sink.timeoutMs", async () => {
  const worker = await workerWithOutbox("silent-host", 1);
  const silentHost = createServer((request) => {
    request.resume();
  });
  try {
    const url = await listen(silentHost);
    const sink = createHttpSink(worker.worker.store, { ...sinkOptions, url, timeoutMs: 200 }, worker.worker.metrics, silent);
    expect(await sink.deliverBatch()).toBe(1);
    const [undelivered] = await worker.worker.store.listUndelivered(0, 10);
    expect(undelivered?.lastError).toBe("the host did not answer within 200 ms (sink.timeoutMs)");
  } finally {
    silentHost.closeAllConnections();
    silentHost.close();
    await worker.stop();
  }
});

/** A SQLite database for the CLI: integration "shop" (no-reason adapter, mode always); replayOrder feeds it one cancellation. */
async function cliDatabase(name: string) {
  const db = join(dir, `${name}.db`);
  const status = async () => {
    const run = await runCli(["sink", "status", "--db", db]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  };
  const replayOrder = async (order: string) => {
    const file = join(dir, `${name}-${order}.jsonl`);
    const body = channelCancellation(order, [{ lineId: "1", sku: "MUG", quantity: 1 }]);
    writeFileSync(file, `${JSON.stringify({ integrationId: "shop", body })}\n`);
    expect((await runCli(["replay", file, "--db", db, "--no-progress"])).code).toBe(0);
  };
  const added = await runCli(["integrations", "add", "shop", "-m", "woocommerce", "--mode", "always", "--secret", "s3cret-1", "--db", db]);
  expect(added.code).toBe(0);
  return { db, status, replayOrder };
}

test("restock sink status / enable / disable: the database's switch, shown and turned by hand", async () => {
  expect((await runCli(["sink", "status", "--db", join(dir, "no-such", "switch.db")])).code).toBe(64);
  const { db, status, replayOrder } = await cliDatabase("switch");
  expect(await status()).toMatchObject({ enabled: false, changedBy: "migration 7", undelivered: 0, oldestUndeliveredDecidedAt: null });
  await replayOrder("before-enable");
  expect(await status()).toMatchObject({ enabled: false, undelivered: 0 });

  const enable = await runCli(["sink", "enable", "--db", db]);
  expect(JSON.parse(enable.stdout)).toMatchObject({ enabled: true, changedBy: "restock sink enable", undelivered: 0 });
  const replayedAt = Date.now();
  await replayOrder("while-enabled");
  const queued = await status();
  expect(queued).toMatchObject({ enabled: true, undelivered: 1 });
  expect(Date.parse(String(queued.oldestUndeliveredDecidedAt))).toBeGreaterThanOrEqual(replayedAt);

  const disable = await runCli(["sink", "disable", "--db", db]);
  expect(JSON.parse(disable.stdout)).toMatchObject({ enabled: false, changedBy: "restock sink disable", undelivered: 1 });
  expect(disable.stderr).toContain("1 adjustments queued before stay in the outbox");
  await replayOrder("after-disable");
  expect(await status()).toMatchObject({ enabled: false, undelivered: 1 });
}, 60_000);

test("a process that starts with a sink URL keeps an operator's 'restock sink disable': it delivers what was queued, queues nothing new, and says so", async () => {
  const { db, status, replayOrder } = await cliDatabase("kept-off");
  expect((await runCli(["sink", "enable", "--db", db])).code).toBe(0);
  await replayOrder("queued-before");
  expect((await runCli(["sink", "disable", "--db", db])).code).toBe(0);
  const service = hostService();
  const url = await listen(service.server);
  const lines: { msg: string }[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  const serve = async () => {
    const flags = { dbPath: db, port: 0, apiToken: API_TOKEN, "sink.url": url, "sink.retryBaseMs": 10, "sink.pollMs": 20 };
    const worker = await createWorker(loadConfig({ env: {}, flags }), { logger });
    await worker.start();
    return worker;
  };
  try {
    const restarted = await serve();
    try {
      expect(lines.map((line) => line.msg)).toContain(
        "host sink turned off by 'restock sink disable': this process delivers the adjustments queued before, and nothing decided from now on is queued until 'restock sink enable'",
      );
      expect(await status()).toMatchObject({ enabled: false, changedBy: "restock sink disable" });
      await until(async () => (await restarted.store.outboxDepth()) === 0);
      await replayOrder("decided-while-off");
      expect(await status()).toMatchObject({ enabled: false, undelivered: 0 });
      expect([...service.applied.values()].map((body) => body.orderId)).toEqual(["queued-before"]);
    } finally {
      await restarted.stop();
    }
    // Turned on by hand, it stays on across a restart.
    expect((await runCli(["sink", "enable", "--db", db])).code).toBe(0);
    const again = await serve();
    await again.stop();
    expect(await status()).toMatchObject({ enabled: true, changedBy: "restock sink enable" });
  } finally {
    service.server.close();
  }
}, 60_000);

test("restock sink undelivered / skip: what the host has not acknowledged, and giving up on one it refuses for good", async () => {
  const { db, status, replayOrder } = await cliDatabase("skip");
  expect((await runCli(["sink", "enable", "--db", db])).code).toBe(0);
  await replayOrder("refused-for-good");
  const undelivered = jsonLines((await runCli(["sink", "undelivered", "--db", db])).stdout);
  expect(undelivered).toEqual([
    expect.objectContaining({ orderId: "refused-for-good", sku: "MUG", delta: 1, attempts: 0, lastError: null }),
  ]);
  const id = undelivered[0].id as number;
  // A full page says where the next one starts; a partial one says nothing more.
  const page = await runCli(["sink", "undelivered", "--limit", "1", "--db", db]);
  expect([jsonLines(page.stdout).length, page.stderr]).toEqual([1, `more: --after ${id}\n`]);
  expect((await runCli(["sink", "undelivered", "--limit", "2", "--db", db])).stderr).toBe("");

  expect((await runCli(["sink", "skip", String(id), "--db", db])).code).toBe(64);
  expect((await runCli(["sink", "skip", "0x1", "--reason", "x", "--db", db])).code).toBe(64);
  expect((await runCli(["sink", "skip", String(id), "--reason", " ", "--db", db])).code).toBe(64);
  const skip = await runCli(["sink", "skip", String(id), String(id + 1000), "--reason", "host has no such SKU", "--db", db]);
  expect(skip.code).toBe(1);
  expect(jsonLines(skip.stdout)).toEqual([
    { id, skipped: true },
    { id: id + 1000, skipped: false, error: "not undelivered: delivered, skipped already, or no such adjustment" },
  ]);
  expect(await status()).toMatchObject({ enabled: true, undelivered: 0 });
  expect((await runCli(["sink", "undelivered", "--db", db])).stdout).toBe("");
  const file = new Database(db, { readonly: true });
  try {
    expect(file.prepare("SELECT skipped_reason FROM outbox WHERE adjustment_id = ?").get(id)).toEqual({
      skipped_reason: "host has no such SKU",
    });
  } finally {
    file.close();
  }
}, 60_000);

// A host that is down fails every queued adjustment on every retry: one warning each buried the log.
test("a host that is down for a while: one warning, a summary of the rest when deliveries go through again", async () => {
  const worker = await workerWithOutbox("down-a-while", 20);
  let down = true;
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(down ? 503 : 200).end());
  });
  const lines: { msg: string; failed?: number }[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  try {
    const url = await listen(host);
    const options = { ...sinkOptions, url, concurrency: 5, retryBaseMs: 1, retryMaxMs: 1 };
    const sink = createHttpSink(worker.worker.store, options, worker.worker.metrics, logger);
    let failed = 0;
    for (let round = 0; round < 6; round++) {
      failed += await sink.deliverBatch();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(failed).toBeGreaterThanOrEqual(20);
    expect(lines.map((line) => line.msg)).toEqual(["adjustment delivery to the host failed; will retry"]);
    down = false;
    await until(async () => {
      await sink.deliverBatch();
      return (await worker.worker.store.outboxDepth()) === 0;
    });
    expect(lines.map((line) => [line.msg, line.failed])).toEqual([
      ["adjustment delivery to the host failed; will retry", undefined],
      [expect.stringMatching(/^\d+ more adjustment deliveries to the host failed/), failed - 1],
      ["adjustment deliveries to the host go through again", undefined],
    ]);
  } finally {
    host.close();
    await worker.stop();
  }
});

test("GET /v1/sink and /v1/sink/undelivered: the switch and what the host has not acknowledged, paged by id; behind the API token", async () => {
  const worker = await workerWithOutbox("api-view", 3);
  try {
    const status = await worker.get<Record<string, unknown>>("/v1/sink");
    expect(status).toMatchObject({ enabled: true, changedBy: "test", undelivered: 3 });
    expect(Date.parse(String(status.oldestUndeliveredDecidedAt))).toBeLessThanOrEqual(Date.now());

    type Page = { undelivered: { id: number; orderId: string; attempts: number; lastError: string | null }[]; nextCursor: string | null };
    const first = await worker.get<Page>("/v1/sink/undelivered?limit=2");
    expect(first.undelivered.map((row) => [row.orderId, row.attempts, row.lastError])).toEqual([
      ["api-view-0", 0, null],
      ["api-view-1", 0, null],
    ]);
    expect(first.nextCursor).toBe(String(first.undelivered[1]!.id));
    const second = await worker.get<Page>(`/v1/sink/undelivered?limit=2&cursor=${first.nextCursor}`);
    expect(second.undelivered.map((row) => row.orderId)).toEqual(["api-view-2"]);
    expect(second.nextCursor).toBeNull();

    expect((await worker.request("GET", "/v1/sink", { token: false })).status).toBe(401);
    const bad = await worker.request("GET", "/v1/sink/undelivered?cursor=-1");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe("cursor");
  } finally {
    await worker.stop();
  }
});

test("a delivery that lands after its adjustment was skipped wins: the row says delivered, not skipped", async () => {
  const worker = await workerWithOutbox("late-landing", 1);
  try {
    const { store } = worker.worker;
    const [item] = await store.claimOutbox(1, Date.now(), 30_000);
    expect(await store.skipUndelivered([item!.adjustment.id], Date.now(), "host refuses it")).toEqual([item!.adjustment.id]);
    const file = new Database(join(dir, "late-landing.db"), { readonly: true });
    const row = () =>
      file.prepare("SELECT skipped_reason, delivered_at IS NOT NULL AS done FROM outbox WHERE adjustment_id = ?").get(item!.adjustment.id);
    try {
      expect(row()).toEqual({ skipped_reason: "host refuses it", done: 1 });
      await store.markOutboxDelivered(item!.adjustment.id, Date.now());
      expect(row()).toEqual({ skipped_reason: null, done: 1 });
    } finally {
      file.close();
    }
  } finally {
    await worker.stop();
  }
});

// The lease counts from before the claim: a claim that waited (a busy SQLite file, a PostgreSQL pool
// or lock) handed out rows whose lease had nearly run out, and a second instance claimed and sent
// them again while the first instance's requests were still in flight.
test("a claim that took most of its lease sends nothing: the adjustments are claimed again when the lease ends, and sent once", async () => {
  const worker = await workerWithOutbox("slow-claim", 2);
  const keys: string[] = [];
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      keys.push(String(request.headers["idempotency-key"]));
      response.writeHead(200).end();
    });
  });
  let skew = 0;
  const clock = () => Date.now() + skew;
  const store = worker.worker.store;
  let claimTakesMs = 2_500;
  // A claim that returns claimTakesMs (on the sink's clock) after it was asked for.
  const slowClaims: Store = {
    ...store,
    claimOutbox: async (...args) => {
      const items = await store.claimOutbox(...args);
      skew += claimTakesMs;
      return items;
    },
  };
  try {
    const url = await listen(host);
    // timeoutMs 1,000: a lease of 3,000 ms, of which the claim took 2,500.
    const sink = createHttpSink(slowClaims, { ...sinkOptions, url }, worker.worker.metrics, silent, clock);
    expect(await sink.deliverBatch()).toBe(0);
    expect(keys).toEqual([]);
    // Still leased: nothing to claim until the lease ends.
    claimTakesMs = 0;
    expect(await sink.deliverBatch()).toBe(0);
    skew += 1_000;
    // Once the lease ended: a claim that takes less than one request timeout (900 of 1,000 ms) sends.
    claimTakesMs = 900;
    expect(await sink.deliverBatch()).toBe(2);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(await store.outboxDepth()).toBe(0);
  } finally {
    host.close();
    await worker.stop();
  }
});

test("a failure the store cannot record does not end the round early: the round waits for every request, and the failure is counted", async () => {
  const worker = await workerWithOutbox("unrecorded-failure", 2);
  let requests = 0;
  // The first request fails at once; the other is answered 200 after 300 ms.
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests += 1;
      if (requests === 1) response.writeHead(503).end();
      else setTimeout(() => response.writeHead(200).end(), 300);
    });
  });
  const store = worker.worker.store;
  const lockedOnFailure: Store = {
    ...store,
    markOutboxFailed: async () => {
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    },
  };
  const failedBefore = await deliveriesCounted(worker, "failed");
  try {
    const url = await listen(host);
    const sink = createHttpSink(lockedOnFailure, { ...sinkOptions, url }, worker.worker.metrics, silent);
    expect(await sink.deliverBatch()).toBe(2);
    // The 200 came back and was recorded before the round ended; the failed one waits for its lease.
    expect(await store.outboxDepth()).toBe(1);
    expect((await deliveriesCounted(worker, "failed")) - failedBefore).toBe(1);
  } finally {
    host.close();
    await worker.stop();
  }
});

test("sink.headers are sent, but never in place of the sink's own Content-Type and Idempotency-Key", async () => {
  const worker = await workerWithOutbox("own-headers", 1);
  const seen: Record<string, string | string[] | undefined>[] = [];
  const host = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on("end", () => response.writeHead(200).end());
  });
  try {
    const url = await listen(host);
    // Configuration refuses these two names (config.test.ts); a host embedding the sink may still pass them.
    const headers = { Authorization: "Bearer host-token", "Content-Type": "text/plain", "Idempotency-Key": "abc" };
    const sink = createHttpSink(worker.worker.store, { ...sinkOptions, url, headers }, worker.worker.metrics, silent);
    expect(await sink.deliverBatch()).toBe(1);
    const [adjustment] = await worker.worker.store.listAdjustments({ limit: 1 });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      authorization: "Bearer host-token",
      "content-type": "application/json",
      "idempotency-key": `${adjustment!.id}-${adjustment!.createdAt}`,
    });
  } finally {
    host.close();
    await worker.stop();
  }
});

async function deliveriesCounted(worker: TestWorker, result: string): Promise<number> {
  const { values } = await worker.worker.metrics.sinkDeliveries.get();
  return values.find((value) => value.labels.result === result)?.value ?? 0;
}

// Rounds that waited for all their requests let one hung request idle the other slots: a host
// hanging on 5% of requests got ~1.7 adjustments a second (host sink chaos review).
test("a request the host holds occupies one slot only: the other adjustments are delivered meanwhile", async () => {
  const worker = await workerWithOutbox("held-slot", 6);
  const delivered: string[] = [];
  let held: (() => void) | undefined;
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const key = String(request.headers["idempotency-key"]);
      if (held === undefined && !delivered.includes(key)) {
        held = () => {
          if (!response.headersSent) response.writeHead(200).end();
        };
        return;
      }
      delivered.push(key);
      response.writeHead(200).end();
    });
  });
  const url = await listen(host);
  const sink = createHttpSink(
    worker.worker.store,
    { ...sinkOptions, url, concurrency: 2, timeoutMs: 20_000 },
    worker.worker.metrics,
    silent,
  );
  try {
    sink.start();
    // With the first request still unanswered (its timeout 20 s away), the 5 others go through the other slot.
    await until(async () => delivered.length === 5, 10_000);
    expect(await worker.worker.store.outboxDepth()).toBe(1);
    held!();
    await until(async () => (await worker.worker.store.outboxDepth()) === 0, 10_000);
  } finally {
    held?.();
    await sink.stop();
    host.close();
    await worker.stop();
  }
}, 40_000);

// Logged at each poll, a 15-second database outage was 68 error lines with their stacks (host sink chaos review).
test("a database that refuses the sink's claims is logged once a window, not at every poll", async () => {
  const worker = await workerWithOutbox("claims-refused", 1);
  const lines: { level: number; msg: string }[] = [];
  const logger = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  let claims = 0;
  const refusing: Store = {
    ...worker.worker.store,
    claimOutbox: async () => {
      claims += 1;
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    },
  };
  const sink = createHttpSink(refusing, { ...sinkOptions, url: "http://127.0.0.1:9/unused", pollMs: 10 }, worker.worker.metrics, logger);
  try {
    sink.start();
    await until(async () => claims >= 20, 10_000);
    await sink.stop();
    const errors = lines.filter((line) => line.level >= 50).map((line) => line.msg);
    expect(errors[0]).toMatch(/^the host sink could not reach the database; adjustments wait in the outbox/);
    // The first line, and on stop the summary of the rest.
    expect(errors).toHaveLength(2);
    expect(errors[1]).toMatch(/^\d+ more host sink database operations failed; the last cause: database is locked/);
  } finally {
    await worker.stop();
  }
});

// Recorded as the host failing: the failed-deliveries counter rose, and the row's last error named the database (host sink chaos review).
test("a delivery the host acknowledged but the database could not record is not counted or shown as the host failing", async () => {
  const worker = await workerWithOutbox("unrecorded-delivery", 1);
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => response.writeHead(200).end());
  });
  const store = worker.worker.store;
  const lockedOnDelivered: Store = {
    ...store,
    markOutboxDelivered: async () => {
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    },
  };
  const failedBefore = await deliveriesCounted(worker, "failed");
  try {
    const url = await listen(host);
    const sink = createHttpSink(lockedOnDelivered, { ...sinkOptions, url }, worker.worker.metrics, silent);
    expect(await sink.deliverBatch()).toBe(1);
    expect((await deliveriesCounted(worker, "failed")) - failedBefore).toBe(0);
    const [row] = await store.listUndelivered(0, 10);
    // Still undelivered (sent again, same key, when its claim ends), with no failure of the host recorded.
    expect(row).toMatchObject({ attempts: 0, lastError: CLAIMED_NO_ANSWER });
  } finally {
    host.close();
    await worker.stop();
  }
});

// A request cut off by a crash recorded nothing: the row said "not tried yet" (attempts 0, no error)
// although the host may have had it (host sink chaos review).
test("an adjustment claimed and sent, whose answer was never recorded, says so instead of 'not tried yet'", async () => {
  const worker = await workerWithOutbox("cut-off", 1);
  try {
    // What a sink does up to the request; its process then dies (nothing recorded).
    const [claimed] = await worker.worker.store.claimOutbox(1, Date.now(), 30_000);
    expect(claimed).toBeDefined();
    const [row] = await worker.worker.store.listUndelivered(0, 10);
    expect(row).toMatchObject({ attempts: 0, lastError: CLAIMED_NO_ANSWER });
    // A failure recorded later replaces it; a delivery clears it.
    expect(await worker.worker.store.markOutboxFailed(claimed!, "host answered 500", Date.now())).toBe(true);
    expect((await worker.worker.store.listUndelivered(0, 10))[0]).toMatchObject({ attempts: 1, lastError: "host answered 500" });
  } finally {
    await worker.stop();
  }
});

// Retried on the sink's own backoff, a host answering 429 with Retry-After: 60 was asked again 10-12 times in 25 s (host sink chaos review).
test("a host's Retry-After (429, 503) is waited for, up to sink.retryMaxMs", async () => {
  const worker = await workerWithOutbox("retry-after", 2);
  let answered = 0;
  const host = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      answered += 1;
      if (answered === 1) response.writeHead(429, { "retry-after": "120" }).end();
      else response.writeHead(503, { "retry-after": new Date(Date.now() + 3_600_000).toUTCString() }).end();
    });
  });
  try {
    const url = await listen(host);
    const options = { ...sinkOptions, url, concurrency: 1, retryBaseMs: 10, retryMaxMs: 600_000 };
    const sink = createHttpSink(worker.worker.store, options, worker.worker.metrics, silent);
    const start = Date.now();
    expect(await sink.deliverBatch()).toBe(1);
    expect(await sink.deliverBatch()).toBe(1);
    const rows = await worker.worker.store.listUndelivered(0, 10);
    expect(rows.map((row) => row.lastError).sort()).toEqual([
      "host answered 429 (Retry-After: 120 s)",
      expect.stringMatching(/^host answered 503 \(Retry-After: 3\d{3} s\)$/),
    ]);
    const waits = rows.map((row) => row.nextAttemptAt - start).sort((a, b) => a - b);
    // 120 s as asked; an hour asked is cut to retryMaxMs (10 minutes).
    expect(waits[0]).toBeGreaterThanOrEqual(119_000);
    expect(waits[0]).toBeLessThan(125_000);
    expect(waits[1]).toBeGreaterThanOrEqual(599_000);
    expect(waits[1]).toBeLessThanOrEqual(600_000 + (Date.now() - start));
  } finally {
    host.close();
    await worker.stop();
  }
});
