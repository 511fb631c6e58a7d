import { copyFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, test } from "vitest";
import { createLogger } from "../src/ops/logger.js";
import { createHttpSink } from "../src/sinks/http-sink.js";
import { backupSqliteDatabase } from "../src/store/sqlite/backup-database.js";
import { channelCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

// The sink's Idempotency-Key must not repeat for a different adjustment: a host dedupes on it, so a
// repeat drops units. Ids alone repeat after a backup is restored (the ids decided after the copy are
// handed out again) and in a new database.

const dir = tempDir();
const silent = createLogger("silent");
const sinkOptions = { timeoutMs: 1_000, concurrency: 8, batchSize: 100, retryBaseMs: 10, retryMaxMs: 100, pollMs: 20, headers: {} };

/** The host's inventory service: applies each Idempotency-Key once and keeps on-hand per SKU. */
async function inventoryService() {
  const keys: string[] = [];
  const onHand = new Map<string, number>();
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      const key = String(request.headers["idempotency-key"]);
      if (!keys.includes(key)) {
        keys.push(key);
        const { sku, delta } = JSON.parse(text) as { sku: string; delta: number };
        onHand.set(sku, (onHand.get(sku) ?? 0) + delta);
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, keys, onHand };
}

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function open(name: string): Promise<TestWorker> {
  const worker = await startWorker(dir, { "sink.url": "http://127.0.0.1:9/unused" }, { name });
  await worker.worker.store.setHostSink(true, Date.now(), "test");
  await worker.worker.settings.put("shop", { marketplace: "woocommerce", webhookSecret: "shop-secret-1" }, "api");
  return worker;
}

/** Cancels `orders` one-unit orders and delivers their adjustments to the host. */
async function cancelAndDeliver(worker: TestWorker, host: { url: string }, orders: string[]): Promise<void> {
  for (const order of orders) {
    const body = channelCancellation(order, [{ lineId: "1", sku: "MUG", quantity: 1 }]);
    const result = await worker.worker.intake.receive({ integrationId: "shop", body, contentType: "application/json", source: "api" });
    expect(result.status).toBe(202);
  }
  await worker.drain();
  const sink = createHttpSink(worker.worker.store, { ...sinkOptions, url: host.url }, worker.worker.metrics, silent);
  while ((await worker.worker.store.outboxDepth()) > 0) await sink.deliverBatch();
}

test("after a backup is restored, the adjustments decided again under the same ids reach the host: none is taken for a repeat", async () => {
  const host = await inventoryService();
  const path = join(dir, "restored.db");
  let worker = await open("restored");
  await cancelAndDeliver(worker, host, ["A-1", "A-2"]);
  backupSqliteDatabase(path, join(dir, "restored-backup.db"));
  await cancelAndDeliver(worker, host, ["B-1", "B-2", "B-3"]);
  expect(host.onHand.get("MUG")).toBe(5);
  await worker.stop();

  // The README's restore: every process stopped, -wal and -shm deleted, the copy put in place.
  for (const suffix of ["-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  copyFileSync(join(dir, "restored-backup.db"), path);
  worker = await open("restored");
  try {
    await cancelAndDeliver(worker, host, ["C-1", "C-2", "C-3"]);
    const ids = (await worker.worker.store.listAdjustments({ limit: 10 })).map((a) => a.id);
    // The ids B's adjustments had, handed out again to C's.
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(host.keys).toHaveLength(8);
    expect(host.onHand.get("MUG")).toBe(8);
  } finally {
    await worker.stop();
  }
});

test("a key is the adjustment id and its decision time; rows queued before keys named the time, or by a process of that version, keep the bare id", async () => {
  const host = await inventoryService();
  const path = join(dir, "upgraded.db");
  const receive = (worker: TestWorker, order: string) =>
    worker.worker.intake.receive({
      integrationId: "shop",
      body: channelCancellation(order, [{ lineId: "1", sku: "MUG", quantity: 1 }]),
      contentType: "application/json",
      source: "api",
    });
  let worker = await open("upgraded");
  for (const order of ["U-1", "U-2"]) await receive(worker, order);
  await worker.drain();
  await worker.stop();
  // The database as the previous version left it: adjustments waiting for the host (perhaps sent once
  // under their bare ids, with the answer lost), and no migrations from 13 on.
  let db = new Database(path);
  db.exec(`ALTER TABLE outbox DROP COLUMN key_with_time; DROP TABLE revoked_sessions;
           DELETE FROM schema_migrations WHERE version >= 13`);
  db.close();

  // A command of the new version opens (and migrates) the file; the previous version's serve, still
  // running, then decides U-3 and queues adjustment 3 with its own insert, which names no
  // key_with_time (decided here, and its outbox row written again as that insert writes it).
  worker = await open("upgraded");
  await receive(worker, "U-3");
  await worker.drain();
  await worker.stop();
  db = new Database(path);
  db.exec("DELETE FROM outbox WHERE adjustment_id = 3");
  db.prepare("INSERT INTO outbox (adjustment_id, next_attempt_at) VALUES (?, ?)").run(3, Date.now());
  db.close();

  worker = await open("upgraded");
  try {
    await receive(worker, "U-4");
    await worker.drain();
    const [, , , fourth] = await worker.worker.store.listAdjustments({ limit: 10 });
    const expected = ["1", "2", "3", `4-${fourth!.createdAt}`];
    // What the operator's listing says each is sent under, before it is sent.
    const listed = await worker.get<{ undelivered: { idempotencyKey: string }[] }>("/v1/sink/undelivered");
    expect(listed.undelivered.map((row) => row.idempotencyKey)).toEqual(expected);
    await cancelAndDeliver(worker, host, []);
    expect([...host.keys].sort()).toEqual(expected);
    expect(host.onHand.get("MUG")).toBe(4);
  } finally {
    await worker.stop();
  }
});
