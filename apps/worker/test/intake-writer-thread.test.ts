import { spawn } from "node:child_process";
import { once } from "node:events";
import { Writable } from "node:stream";
import Database from "better-sqlite3";
import { afterEach, expect, test } from "vitest";
import { createThreadedIntakeWriter, type IntakeWriter } from "../src/intake/threaded-intake-writer.js";
import { createLogger } from "../src/ops/logger.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { isStoreUnavailable } from "../src/store/store-unavailable.js";
import type { IntakeWrite, NewEvent } from "../src/store/types.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
// The built thread (test/global-setup.ts builds dist/ when the sources are newer).
const BUILT_THREAD = new URL("../dist/intake-writer-thread.js", import.meta.url);
const fixtureThread = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

let opened: { store: Store; writer: IntakeWriter }[] = [];
afterEach(async () => {
  for (const { store, writer } of opened) {
    await writer.close();
    await store.close();
  }
  opened = [];
});

let dbCount = 0;
async function setUp(entry: URL, { start = true } = {}) {
  const path = `${dir}/intake-${dbCount++}.db`;
  const store = openSqliteStore({ path });
  await store.saveIntegration({
    id: "shop-1",
    marketplace: "shopify",
    account: "shop-1",
    mode: "smart",
    webhookSecret: null,
    createdAt: 0,
    updatedAt: 0,
  });
  const logged: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logged.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const writer = createThreadedIntakeWriter({ dbPath: path, busyTimeoutMs: 1000 }, store, createLogger("info", destination), entry);
  if (start) writer.start();
  opened.push({ store, writer });
  return { path, store, writer, logged };
}

// Bytes a UTF-8 decode would not give back unchanged: the stored body must be exactly these.
const body = (orderId: string) =>
  Buffer.concat([Buffer.from(`{"id":${orderId},"note":"`), Buffer.from([0xe2, 0x82, 0xac]), Buffer.from('"}')]);
const event = (orderId: string): NewEvent => ({
  integrationId: "shop-1",
  source: "webhook",
  format: "json",
  contentType: "application/json",
  body: body(orderId),
  bodyHash: `hash-${orderId}`,
  orderKey: orderId,
  orderKeys: [orderId, `${orderId}-b`],
  receivedAt: 1_700_000_000_000,
  parsed: null,
});
const write = (...orderIds: string[]): IntakeWrite => ({
  events: orderIds.map(event),
  rejections: [
    {
      integrationId: "shop-1",
      source: "webhook",
      contentType: "application/json",
      body: Buffer.from("{"),
      error: "body is not valid JSON",
      field: null,
      receivedAt: 1_700_000_000_001,
    },
  ],
});

test("the built thread commits each group on its own connection: ids in order, bodies byte for byte, orders held, rejections kept", async () => {
  const { path, store, writer, logged } = await setUp(BUILT_THREAD);
  const first = await writer.appendIntake(write("1001", "1002"));
  const second = await writer.appendIntake(write("1003"));
  expect(first.eventIds).toHaveLength(2);
  expect(second.eventIds[0]).toBeGreaterThan(first.eventIds[1]!);
  expect(second.rejectionIds[0]).toBeGreaterThan(first.rejectionIds[0]!);
  // Committed: another connection sees every row.
  const reader = new Database(path, { readonly: true });
  try {
    expect(reader.prepare("SELECT COUNT(*) AS n FROM inbox").get()).toEqual({ n: 3 });
    expect(reader.prepare("SELECT COUNT(*) AS n FROM dead_letters").get()).toEqual({ n: 2 });
  } finally {
    reader.close();
  }
  expect(await store.getEventBody(first.eventIds[1]!)).toEqual(body("1002"));
  expect((await store.getEvent(second.eventIds[0]!))?.orderKey).toBe("1003");
  expect(logged.map((line) => line.msg)).toContain("committing deliveries on a worker thread");
  expect(logged.map((line) => line.msg)).not.toContain("intake writer thread failed; committing deliveries on the main thread");
});

test("a thread that dies holding a write: that write and every later one are committed on the main thread, and the failure is logged", async () => {
  const { store, writer, logged } = await setUp(fixtureThread("intake-writer-dies.mjs"));
  const receipt = await writer.appendIntake(write("2001"));
  expect(await store.getEventBody(receipt.eventIds[0]!)).toEqual(body("2001"));
  const later = await writer.appendIntake(write("2002"));
  expect((await store.getEvent(later.eventIds[0]!))?.orderKey).toBe("2002");
  expect(await store.inboxDepth()).toBe(2);
  expect(logged.find((line) => line.level === 50)?.msg).toBe(
    "intake writer thread exited with code 3; committing deliveries on the main thread",
  );
});

test("a store error in the thread reaches the delivery with its code: a write lock held too long is 'unavailable' (503), not a 500", async () => {
  const { store, writer } = await setUp(fixtureThread("intake-writer-busy.mjs"));
  const error = await writer.appendIntake(write("3001")).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toMatchObject({ name: "SqliteError", message: "database is locked", code: "SQLITE_BUSY" });
  expect(isStoreUnavailable(error)).toBe(true);
  expect(await store.inboxDepth()).toBe(0);
});

test("until start() (restock serve's), writes go through the store on this thread: a CLI command starts no thread", async () => {
  const { store, writer, logged } = await setUp(fixtureThread("intake-writer-dies.mjs"), { start: false });
  const receipt = await writer.appendIntake(write("4001"));
  expect((await store.getEvent(receipt.eventIds[0]!))?.orderKey).toBe("4001");
  expect(logged).toEqual([]);
});

test("a host that takes a delivery through the built worker and never stops it still exits, with the delivery committed", {
  timeout: 30_000,
}, async () => {
  const path = `${dir}/host-${dbCount++}.db`;
  const index = new URL("../dist/index.js", import.meta.url).href;
  // The host's whole program: a worker, one host push, no stop().
  const program = `
    import { createWorker, loadConfig } from ${JSON.stringify(index)};
    const worker = await createWorker(loadConfig({ flags: { dbPath: ${JSON.stringify(path)}, logLevel: "info", seedSamples: true } }));
    const body = JSON.stringify({ orderId: "HOST-1", lines: [{ lineId: "1", sku: "LAMP", quantity: 1 }] });
    const result = await worker.intake.receive({ integrationId: "sample-no-reason", body, contentType: "application/json", source: "api" });
    console.log(JSON.stringify(result));
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", program], { stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  const [code] = (await once(child, "exit")) as [number];
  expect(code).toBe(0);
  expect(stdout).toContain("committing deliveries on a worker thread");
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
  expect(result).toMatchObject({ status: 202 });
  const reader = new Database(path, { readonly: true });
  try {
    expect(reader.prepare("SELECT COUNT(*) AS n FROM inbox WHERE id = ?").get(result.eventId)).toEqual({ n: 1 });
  } finally {
    reader.close();
  }
});
