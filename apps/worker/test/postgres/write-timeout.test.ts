import { createConnection, createServer, type Server, type Socket } from "node:net";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { canonicalCancellation } from "../helpers/payloads.js";
import { startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  await database?.drop();
  database = undefined;
});

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closers.push(() => client.end());
  return client;
}

async function workerOn(url: string): Promise<TestWorker> {
  const worker = await startWorker(tempDir(), { databaseUrl: url, writeTimeoutMs: 500 });
  closers.push(() => worker.stop());
  await worker.worker.settings.put("slow-wm", { marketplace: "walmart" }, "api");
  return worker;
}

function delivery(worker: TestWorker, orderId: string): Promise<Response> {
  const body = canonicalCancellation("walmart", orderId, [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }]);
  return worker.request("POST", "/v1/integrations/slow-wm/cancellations", { body, contentType: "application/json" });
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const startedAt = Date.now();
  const result = await work();
  return { result, ms: Date.now() - startedAt };
}

const inboxCount = async (admin: pg.Client) => Number((await admin.query("SELECT COUNT(*) AS n FROM inbox")).rows[0].n);

// A migration, a VACUUM FULL or a forgotten transaction holding a lock on the inbox: deliveries are
// answered 503 after writeTimeoutMs instead of waiting for as long as the lock is held.
test("with the inbox locked elsewhere, a delivery gets 503 after writeTimeoutMs and its transaction leaves nothing behind", async () => {
  database = await createTestDatabase();
  const worker = await workerOn(database.url);
  const admin = await connect(database.url);
  await admin.query("BEGIN");
  await admin.query("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE");

  const { result: refused, ms } = await timed(() => delivery(worker, "W-LOCKED"));
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("10");
  // The server cancelled the waiting statement at 500 ms (57014), well before the 1 s deadline.
  expect(ms).toBeGreaterThanOrEqual(490);
  expect(ms).toBeLessThan(1_000);
  // Nothing of the worker's is left waiting on the lock or holding its order's intake lock.
  const waiting = await admin.query(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'restock-worker' AND state <> 'idle' AND pid <> pg_backend_pid()",
  );
  expect(Number(waiting.rows[0].n)).toBe(0);
  await admin.query("ROLLBACK");

  const accepted = await delivery(worker, "W-LOCKED");
  expect(accepted.status).toBe(202);
  expect(await inboxCount(admin)).toBe(1);
  const metrics = await (await worker.request("GET", "/metrics", { token: false })).text();
  expect(metrics).toContain('restock_events_rejected_total{marketplace="walmart",reason="store_unavailable"} 1');
});

/** A TCP hop in front of the test server that can stop passing bytes, as a network partition does. */
async function partitionableProxy(target: URL): Promise<{ url: string; freeze(): void; thaw(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let frozen = false;
  const server: Server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    // After pipe(), which starts the flow: a connection opened during a partition passes nothing either.
    if (frozen) for (const socket of [client, upstream]) socket.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(target);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    freeze() {
      frozen = true;
      for (const socket of sockets) socket.pause();
    },
    thaw() {
      frozen = false;
      for (const socket of sockets) socket.resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// A server that stops answering (a partition, a stopped host) cancels nothing and says nothing: the
// worker gives up at twice writeTimeoutMs, on the commit and on the integration's look-up alike,
// and drops the connection it gave up on.
test("with the database not answering at all, deliveries get 503 at the deadline; once it answers, each is stored once", async () => {
  database = await createTestDatabase();
  const proxy = await partitionableProxy(new URL(database.url));
  closers.push(() => proxy.close());
  const worker = await workerOn(proxy.url);
  const admin = await connect(database.url);
  // Read through the settings cache, which keeps the integration for a second.
  expect((await delivery(worker, "W-BEFORE")).status).toBe(202);
  // Connections already open, as a busy worker's pool has: the commit and the look-up each take one,
  // so each is ended by its own bound, not by the bound on opening a connection.
  await Promise.all([1, 2, 3].map(() => worker.worker.store.outboxDepth()));

  proxy.freeze();
  // Within that second the look-up is cached: the group commit is what waits.
  const commit = await timed(() => delivery(worker, "W-COMMIT"));
  // Past it, the look-up itself waits on the database.
  const lookup = await timed(() => delivery(worker, "W-LOOKUP"));
  proxy.thaw();
  for (const { result, ms } of [commit, lookup]) {
    expect(result.status).toBe(503);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(3_000);
  }

  // The abandoned transaction never reached its inserts; the redeliveries take fresh connections.
  expect((await delivery(worker, "W-COMMIT")).status).toBe(202);
  expect((await delivery(worker, "W-LOOKUP")).status).toBe(202);
  expect(await inboxCount(admin)).toBe(3);
});

// Processing and the host sink run on the same kind of connection: on one the network lost, a batch
// waited on the dead socket for as long as TCP took to notice (hours with the system's keepalive
// defaults) and processing stood still. Bounded, the batch fails and the next runs on a fresh one.
test("with the database not answering at all, a processing batch, a sink claim and a prune step fail at their bounds; once it answers, the event applies once", async () => {
  database = await createTestDatabase();
  const proxy = await partitionableProxy(new URL(database.url));
  closers.push(() => proxy.close());
  const worker = await startWorker(tempDir(), { databaseUrl: proxy.url, writeTimeoutMs: 500, "processing.timeoutMs": 1000 });
  closers.push(() => worker.stop());
  await worker.worker.settings.put("slow-wm", { marketplace: "walmart", mode: "always" }, "api");
  await worker.worker.store.setHostSink(true, Date.now(), "test");
  const { processor } = worker.worker;
  expect((await delivery(worker, "W-FIRST")).status).toBe(202);
  expect((await processor.runBatch()).claimed).toBe(1);
  expect((await delivery(worker, "W-PARTITIONED")).status).toBe(202);

  // Connections already open, as a running worker's pool has: each statement below takes one, so it
  // is its own bound that ends it, not the bound on opening a connection.
  await Promise.all([1, 2, 3, 4].map(() => worker.worker.store.outboxDepth()));
  proxy.freeze();
  const batch = await timed(() =>
    processor.runBatch().then(
      () => "applied",
      (error: Error) => error.message,
    ),
  );
  const claim = await timed(() =>
    worker.worker.store.claimOutbox(8, Date.now(), 30_000).then(
      () => "claimed",
      (error: Error) => error.message,
    ),
  );
  const prune = await timed(() =>
    worker.worker.store.prunePayloads({ decidedBefore: Date.now(), afterId: 0, limit: 100 }).then(
      () => "pruned",
      (error: Error) => error.message,
    ),
  );
  proxy.thaw();
  expect(prune.result).toBe("Query read timeout");
  expect(prune.ms).toBeGreaterThanOrEqual(1_990);
  expect(prune.ms).toBeLessThan(4_000);
  expect(batch.result).toBe("the database did not answer within 2000 ms");
  expect(batch.ms).toBeGreaterThanOrEqual(1_990);
  expect(batch.ms).toBeLessThan(4_000);
  expect(claim.result).toBe("Query read timeout");
  expect(claim.ms).toBeGreaterThanOrEqual(990);
  expect(claim.ms).toBeLessThan(3_000);

  // The batch given up on never committed: the event is still due, and applies once.
  const report = await processor.runBatch();
  expect(report.events.map((event) => [event.status, event.unitsRestored])).toEqual([["done", 1]]);
  expect((await processor.runBatch()).claimed).toBe(0);
  const [mug] = await worker.worker.store.listInventory({ account: "slow-wm", sku: "MUG", limit: 1 });
  expect(mug?.onHand).toBe(2);
  expect(await worker.worker.store.outboxDepth()).toBe(2);
}, 30_000);

// A lock held elsewhere (a migration, VACUUM FULL, a forgotten session): the server cancels the
// batch's waiting statement at processing.timeoutMs, before the client's deadline at twice that.
test("with the inbox locked elsewhere, a processing batch is cancelled by the server at processing.timeoutMs; after, the event applies once", async () => {
  database = await createTestDatabase();
  const worker = await startWorker(tempDir(), { databaseUrl: database.url, "processing.timeoutMs": 1000 });
  closers.push(() => worker.stop());
  await worker.worker.settings.put("slow-wm", { marketplace: "walmart", mode: "always" }, "api");
  const { processor } = worker.worker;
  expect((await delivery(worker, "W-FIRST")).status).toBe(202);
  // The first batch also refreshes the inbox's statistics (then not again for 30 s).
  expect((await processor.runBatch()).claimed).toBe(1);
  expect((await delivery(worker, "W-LOCKED")).status).toBe(202);
  const admin = await connect(database.url);
  await admin.query("BEGIN");
  await admin.query("LOCK TABLE inbox IN ACCESS EXCLUSIVE MODE");

  const batch = await timed(() =>
    processor.runBatch().then(
      () => "applied",
      (error: { code?: string }) => error.code,
    ),
  );
  await admin.query("ROLLBACK");
  expect(batch.result).toBe("57014");
  expect(batch.ms).toBeGreaterThanOrEqual(990);
  expect(batch.ms).toBeLessThan(1_900);

  const report = await processor.runBatch();
  expect(report.events.map((event) => [event.status, event.unitsRestored])).toEqual([["done", 1]]);
  const [mug] = await worker.worker.store.listInventory({ account: "slow-wm", sku: "MUG", limit: 1 });
  expect(mug?.onHand).toBe(2);
});
