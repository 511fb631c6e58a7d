import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { walFileSync } from "../src/store/sqlite/wal-sync.js";
import type { Store } from "../src/store/store.js";
import { startWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir("restock-durability-");

/** A WAL sync the test releases by hand, counting the calls. */
function heldSync() {
  const pending: (() => void)[] = [];
  let failNext: Error | undefined;
  return {
    calls: 0,
    sync(this: { calls: number }) {
      this.calls++;
      const failure = failNext;
      failNext = undefined;
      return new Promise<void>((resolve, reject) => pending.push(() => (failure ? reject(failure) : resolve())));
    },
    release() {
      for (const resume of pending.splice(0)) resume();
    },
    failNextWith(error: Error) {
      failNext = error;
    },
    get waiting() {
      return pending.length;
    },
  };
}

/** The worker's store, opened again on the same file with a held sync (the helper's own connection is closed). */
function reopened(opened: Store, options: Parameters<typeof openSqliteStore>[0]): Store {
  void opened.close();
  return openSqliteStore(options);
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

function send(t: Awaited<ReturnType<typeof startWorker>>, orderId: string) {
  return t.worker.intake.receive({
    integrationId: "nr",
    body: JSON.stringify({ orderId, lines: [{ lineId: "1", sku: "MUG", quantity: 1 }] }),
    contentType: "application/json",
    source: "api",
  });
}

test("a delivery is acknowledged only after the WAL holding its commit has been synced", async () => {
  const held = heldSync();
  const t = await startWorker(
    dir,
    { adapters: ["@restock/adapter-no-reason"] },
    { name: "held", wrapStore: (opened) => reopened(opened, { path: join(dir, "held.db"), syncIntake: () => held.sync() }) },
  );
  try {
    await t.worker.settings.put("nr", { marketplace: "shop" });
    let answered = false;
    const delivery = send(t, "A-1").then((result) => {
      answered = true;
      return result;
    });
    await tick();
    // Committed (another connection sees the row) but not yet synced: no answer yet.
    const reader = new Database(join(dir, "held.db"), { readonly: true });
    expect((reader.prepare("SELECT COUNT(*) AS n FROM inbox").get() as { n: number }).n).toBe(1);
    reader.close();
    expect(held.waiting).toBe(1);
    expect(answered).toBe(false);
    held.release();
    expect(await delivery).toMatchObject({ status: 202 });

    // A failed sync answers nobody 202: the sender delivers again (the row may exist; a redelivery
    // of the same body is then recognised as a duplicate by processing).
    held.failNextWith(new Error("EIO: the disk went away"));
    const failing = send(t, "A-2");
    await tick();
    held.release();
    await expect(failing).rejects.toThrow("EIO");
  } finally {
    held.release();
    await t.stop();
  }
});

test("requests arriving during one sync are committed together in the next group, while the first sync is still running", async () => {
  const held = heldSync();
  const t = await startWorker(
    dir,
    { adapters: ["@restock/adapter-no-reason"] },
    { name: "groups", wrapStore: (opened) => reopened(opened, { path: join(dir, "groups.db"), syncIntake: () => held.sync() }) },
  );
  try {
    await t.worker.settings.put("nr", { marketplace: "shop" });
    const first = send(t, "B-1");
    await tick();
    expect(held.calls).toBe(1);
    // Five arrive while the first group waits for its sync: they form ONE second group (one sync).
    const more = ["B-2", "B-3", "B-4", "B-5", "B-6"].map((id) => send(t, id));
    await tick();
    expect(held.calls).toBe(2);
    // With two groups waiting for their syncs, the next arrivals wait for one of them to finish.
    const later = send(t, "B-7");
    await tick();
    expect(held.calls).toBe(2);
    held.release();
    await Promise.all([first, ...more]);
    await tick();
    expect(held.calls).toBe(3);
    held.release();
    expect(await later).toMatchObject({ status: 202 });
  } finally {
    held.release();
    await t.stop();
  }
});

test("the default WAL sync syncs the -wal file and treats a missing one (checkpointed away) as synced", async () => {
  const path = join(dir, "real.db");
  const store = openSqliteStore({ path });
  await store.appendIntake({
    events: [
      {
        integrationId: "x",
        source: "api",
        format: "json",
        contentType: "application/json",
        body: Buffer.from("{}"),
        bodyHash: "h",
        orderKey: null,
        receivedAt: 1,
      },
    ],
    rejections: [],
  });
  expect(existsSync(`${path}-wal`)).toBe(true);
  await expect(walFileSync(path)()).resolves.toBeUndefined();
  await store.close();
  expect(existsSync(`${path}-wal`)).toBe(false);
  await expect(walFileSync(path)()).resolves.toBeUndefined();
});
