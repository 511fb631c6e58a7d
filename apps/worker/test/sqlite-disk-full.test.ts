import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import { createEventEvaluator } from "../src/processing/evaluate-event.js";
import { createBatchProcessor } from "../src/store/sqlite/process-batch.js";
import { channelCancellation } from "./helpers/payloads.js";
import { startWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
const batch = { limit: 500, now: Date.now(), maxAttempts: 8, retryDelayMs: () => 1000 };

// A disk (or database) that fills mid-batch: SQLITE_FULL rolls back the whole transaction, not only
// the failing event's savepoint. The careful pass went on writing the rest of the batch outside any
// transaction, each statement committing on its own, with the units of the rolled-back events still
// counted for on-hand: here 35 units were recorded as restored and none were on hand.
test("a batch that fills the disk keeps nothing: every event stays pending, and once there is room each restores once", async () => {
  const worker = await startWorker(dir, {}, { name: "disk-full" });
  await worker.worker.settings.put("shop", { marketplace: "woocommerce", webhookSecret: "shop-secret-1" }, "api");
  for (let n = 0; n < 400; n++) {
    const body = channelCancellation(`FULL-${n}`, [{ lineId: "1", sku: `SKU-${n % 50}`, quantity: 1 + (n % 3) }]);
    expect(
      (await worker.worker.intake.receive({ integrationId: "shop", body, contentType: "application/json", source: "api" })).status,
    ).toBe(202);
  }
  await worker.stop();

  const db = new Database(join(dir, "disk-full.db"));
  try {
    const evaluate = createEventEvaluator((await loadAdapters(DEFAULT_ADAPTERS)).engine);
    const processBatch = createBatchProcessor(db);
    const state = () => ({
      pending: db.prepare("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").pluck().get(),
      decided: db.prepare("SELECT COUNT(*) FROM decisions").pluck().get(),
      restored: db.prepare("SELECT COALESCE(SUM(restored_now), 0) FROM decisions").pluck().get(),
      onHand: db.prepare("SELECT COALESCE(SUM(on_hand), 0) FROM inventory").pluck().get(),
    });
    // Room for a few events' writes, not the batch's: it runs out part-way, in both passes.
    db.pragma(`max_page_count = ${(db.pragma("page_count", { simple: true }) as number) + 12}`);
    expect(() => processBatch(batch, evaluate)).toThrow(/full/);
    expect(db.inTransaction).toBe(false);
    expect(state()).toEqual({ pending: 400, decided: 0, restored: 0, onHand: 0 });

    db.pragma("max_page_count = 1073741823");
    while (processBatch({ ...batch, now: Date.now() }, evaluate).claimed > 0) {}
    const after = state();
    expect(after).toMatchObject({ pending: 0, decided: 400 });
    expect(after.onHand).toBe(after.restored);
    expect(after.restored).toBeGreaterThan(0);
  } finally {
    db.close();
  }
});
