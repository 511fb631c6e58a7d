import { afterAll, beforeAll, expect, test } from "vitest";
import { decisionsCsv } from "../src/audit/decisions-csv.js";
import { integrationActivity } from "../src/console/activity.js";
import { canonicalCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

/**
 * SQLite answers reads synchronously: a loop of awaited page reads never gave the event loop a
 * turn, and a month of decisions behind the console's chart or a CSV export held every webhook,
 * health check and metrics scrape until it ended (a review measured 8-13 s at 600,000 decisions).
 */
const dir = tempDir();
let t: TestWorker;
const LINES_PER_EVENT = 800;
const EVENTS = 4;

beforeAll(async () => {
  t = await startWorker(dir);
  await t.request("PUT", "/v1/integrations/busy-wm", { contentType: "application/json", body: JSON.stringify({ marketplace: "walmart" }) });
  for (let event = 0; event < EVENTS; event++) {
    const lines = Array.from({ length: LINES_PER_EVENT }, (_, n) => ({
      lineId: String(n + 1),
      sku: `SKU-${event}-${n}`,
      quantity: 1,
      reason: n % 2 === 0 ? "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" : "SELLER_CANCEL_OUT_OF_STOCK",
    }));
    const sent = await t.request("POST", "/v1/integrations/busy-wm/cancellations", {
      contentType: "application/json",
      body: canonicalCancellation("walmart", `PO-${event}`, lines),
    });
    expect(sent.status).toBe(202);
  }
  await t.drain();
});
afterAll(() => t.stop());

/** How many turns the event loop took while `work` ran (0: it held the loop from start to end). */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

test("the console's 30-day activity reads a busy integration a page at a time, letting the event loop run between pages", async () => {
  let activity: Awaited<ReturnType<typeof integrationActivity>> | undefined;
  const turns = await turnsDuring(async () => {
    activity = await integrationActivity(t.worker.store, "busy-wm", Date.now());
  });
  // 3,200 decisions are 4 pages of 1,000: a turn between each.
  expect(turns).toBeGreaterThanOrEqual(3);
  // Half the lines were the buyer's (restored), half out of stock (withheld), all today.
  expect(activity).toMatchObject({ restored: 1600, withheld: 1600 });
  expect(activity!.days.at(-1)).toMatchObject({ restored: 1600, withheld: 1600 });
});

test("a CSV export lets the event loop run between pages", async () => {
  let rows = 0;
  const turns = await turnsDuring(async () => {
    for await (const chunk of decisionsCsv(t.worker.store, { integrationId: "busy-wm", limit: 500 })) {
      rows += String(chunk).split("\n").length - 1;
    }
  });
  expect(rows).toBe(EVENTS * LINES_PER_EVENT + 1);
  expect(turns).toBeGreaterThanOrEqual((EVENTS * LINES_PER_EVENT) / 500 - 1);
});
