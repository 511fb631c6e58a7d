import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test, vi } from "vitest";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { NewEvent } from "../src/store/types.js";
import { channelCancellation } from "./helpers/payloads.js";
import { tempDir } from "./helpers/temp-dir.js";
import { createIntegrations } from "./support/create-integrations.js";

const dir = tempDir("restock-write-lock-");

function delivery(orderId: string): NewEvent {
  const body = channelCancellation(orderId, [{ lineId: "1", sku: "MUG", quantity: 1 }]);
  return {
    integrationId: "woo-1",
    source: "webhook",
    format: "json",
    contentType: "application/json",
    body: Buffer.from(body),
    bodyHash: `hash-${orderId}`,
    orderKey: orderId,
    receivedAt: Date.now(),
  };
}

// The processing thread, a CLI command or another process may hold SQLite's one write lock; the
// serving connection's writes (group commit, sink outbox, settings) run on the event loop that
// answers webhooks and must not sleep in the busy handler.
test("the serving connection's writes wait for another connection's write lock without blocking the event loop, then commit", async () => {
  const path = join(dir, "locked.db");
  const store = openSqliteStore({ path });
  await createIntegrations(store, [
    { id: "woo-1", marketplace: "no-reason", account: "acme", mode: "smart", webhookSecret: null, createdAt: 0, updatedAt: 0 },
  ]);
  const other = new Database(path);
  try {
    other.exec("BEGIN IMMEDIATE");
    let settled = 0;
    const settle = <T>(promise: Promise<T>) => promise.finally(() => (settled += 1));
    const appended = settle(store.appendIntake({ events: [delivery("LOCK-1"), delivery("LOCK-2")], rejections: [] }));
    const renamed = settle(
      createIntegrations(store, [
        { id: "woo-2", marketplace: "no-reason", account: "acme", mode: "never", webhookSecret: null, createdAt: 1, updatedAt: 1 },
      ]),
    );
    const claimed = settle(store.claimOutbox(10, Date.now(), 1000));
    // The loop keeps turning while the lock is held: timers fire, the commit stays pending.
    const startedAt = Date.now();
    let ticks = 0;
    while (Date.now() - startedAt < 150) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ticks += 1;
    }
    expect(ticks).toBeGreaterThan(10);
    expect(settled).toBe(0);
    expect(other.prepare("SELECT COUNT(*) AS n FROM inbox").get()).toEqual({ n: 0 });

    other.exec("COMMIT");
    const receipt = await appended;
    expect(receipt.eventIds).toHaveLength(2);
    await renamed;
    expect(await claimed).toEqual([]);
    expect(other.prepare("SELECT mode FROM integrations WHERE id = 'woo-2'").get()).toEqual({ mode: "never" });
    expect(other.prepare("SELECT order_key FROM inbox ORDER BY id").all()).toEqual([{ order_key: "LOCK-1" }, { order_key: "LOCK-2" }]);
  } finally {
    other.close();
    await store.close();
  }
});

// A read answers while another process holds the write lock: the ping said ready, and
// restock_store_up 1, while every delivery was answered 503 (observability review).
test("while deliveries' commits fail, the ping says the database takes no writes; ready again once the write lock can be taken", async () => {
  const path = join(dir, "unready.db");
  const store = openSqliteStore({ path });
  await createIntegrations(store, [
    { id: "woo-1", marketplace: "no-reason", account: "acme", mode: "smart", webhookSecret: null, createdAt: 0, updatedAt: 0 },
  ]);
  const other = new Database(path);
  try {
    await store.ping();
    other.exec("BEGIN IMMEDIATE");
    await expect(store.appendIntake({ events: [delivery("UNREADY-1")], rejections: [] }, { timeoutMs: 20 })).rejects.toMatchObject({
      code: "SQLITE_BUSY",
    });
    await expect(store.ping()).rejects.toThrow(/^the database takes no writes now: database is locked/);
    vi.useFakeTimers({ toFake: ["Date"] });
    // Past the hold, the write lock is probed: still held elsewhere, still not ready.
    vi.setSystemTime(Date.now() + 11_000);
    await expect(store.ping()).rejects.toThrow(/^the database takes no writes now: database is locked/);
    other.exec("ROLLBACK");
    await store.ping();
    // The probe got the lock: ready, and a normal batch holding the lock later does not change that
    // (cleared only by a commit, a worker kept out of traffic never got one).
    other.exec("BEGIN IMMEDIATE");
    await store.ping();
    other.exec("ROLLBACK");
    vi.useRealTimers();
    const receipt = await store.appendIntake({ events: [delivery("UNREADY-2")], rejections: [] });
    expect(receipt.eventIds).toHaveLength(1);
    await store.ping();
  } finally {
    vi.useRealTimers();
    other.close();
    await store.close();
  }
});
