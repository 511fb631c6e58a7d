import { afterAll, beforeAll, expect, test } from "vitest";
import { createEventEvaluator } from "../src/processing/evaluate-event.js";
import { MAX_BATCH_LINES } from "../src/store/types.js";
import { canonicalCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

/**
 * SQLite has one writer: a batch of 2,000 line-heavy events held the write lock for seconds to
 * minutes (a review measured 25-250 s), intake answered 503 all along, and a stop rolled the whole
 * batch back. A batch now stops between events once it has written its budget of lines.
 */
const dir = tempDir();
let t: TestWorker;

beforeAll(async () => {
  // A long poll interval: a loop that waited for it between batches would show.
  t = await startWorker(dir, { "processing.pollMs": 60_000 });
  await t.worker.settings.put("heavy-wm", { marketplace: "walmart" }, "api");
});
afterAll(() => t.stop());

async function send(orderId: string, lineCount: number): Promise<number> {
  const lines = Array.from({ length: lineCount }, (_, n) => ({
    lineId: String(n + 1),
    sku: `SKU-${n}`,
    quantity: 1,
    reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL",
  }));
  const result = await t.worker.intake.receive({
    integrationId: "heavy-wm",
    body: canonicalCancellation("walmart", orderId, lines),
    contentType: "application/json",
    source: "api",
  });
  if (result.status !== 202) throw new Error(`expected 202, got ${result.status}`);
  return result.eventId;
}

test("a batch stops between events once it has written its budget of lines, and the next batch goes on in arrival order", async () => {
  const ids = [await send("HEAVY-1", 600), await send("HEAVY-2", 600), await send("HEAVY-3", 600)];
  const evaluate = createEventEvaluator(t.worker.engine);
  const options = { limit: 2_000, now: Date.now(), maxAttempts: 3, retryDelayMs: () => 1_000, maxLines: 1_000 };

  const first = await t.worker.store.processBatch(options, evaluate);
  // 600 lines, then 1,200: the budget is spent after the second event, never inside one.
  expect(first).toMatchObject({ claimed: 2, more: true });
  expect(first.events.map((applied) => [applied.event.id, applied.status])).toEqual([
    [ids[0], "done"],
    [ids[1], "done"],
  ]);
  expect(await t.worker.store.inboxDepth()).toBe(1);

  const second = await t.worker.store.processBatch(options, evaluate);
  expect(second.events.map((applied) => [applied.event.id, applied.status])).toEqual([[ids[2], "done"]]);
  expect(second.more).toBeUndefined();
  const [stock] = await t.worker.store.listInventory({ account: "heavy-wm", sku: "SKU-0", limit: 1 });
  expect(stock?.onHand).toBe(3);
  expect(MAX_BATCH_LINES).toBeGreaterThanOrEqual(1_000);

  // The claim reads every row it returns under the write lock: after a batch stopped at its budget,
  // the next claims read about as many events as the budget took (2 heavy events: then 3), not 2,000.
  await send("HEAVY-4", 600);
  await send("HEAVY-5", 600);
  const small = [];
  for (let n = 1; n <= 5; n++) small.push(await send(`SMALL-${n}`, 1));
  expect(await t.worker.store.processBatch(options, evaluate)).toMatchObject({ claimed: 2, more: true });
  const capped = await t.worker.store.processBatch(options, evaluate);
  expect(capped.events.map((applied) => applied.event.id)).toEqual(small.slice(0, 3));
  // A batch within its budget doubles the cap again: the other two follow.
  const rest = await t.worker.store.processBatch(options, evaluate);
  expect(rest.events.map((applied) => applied.event.id)).toEqual(small.slice(3));
});

test("the processing loop runs the next batch at once when one stopped at its budget", async () => {
  const budget = MAX_BATCH_LINES;
  // Three events, each just over half the default budget: two batches, one right after the other.
  const perEvent = Math.ceil(budget / 2) + 1;
  for (const order of ["LOOP-1", "LOOP-2", "LOOP-3"]) await send(order, perEvent);
  await t.worker.start();
  const started = Date.now();
  for (let i = 0; i < 1_600 && (await t.worker.store.inboxDepth()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  expect(await t.worker.store.inboxDepth()).toBe(0);
  // Not a poll interval (60 s) between the batches.
  expect(Date.now() - started).toBeLessThan(30_000);
});
