import { afterAll, beforeAll, expect, test } from "vitest";
import { IdRuns } from "../src/cli/id-runs.js";
import { settledUndecided } from "../src/cli/replay.js";
import { flakySwitches, startFlakyWorker } from "./helpers/flaky-worker.js";
import type { TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const flaky = flakySwitches();

const dir = tempDir();
let t: TestWorker;

beforeAll(async () => {
  t = await startFlakyWorker(dir, {
    "processing.maxAttempts": 5,
    "processing.retryBaseMs": 60_000,
  });
});
afterAll(() => t.stop());

async function accept(orderId: string): Promise<number> {
  const result = await t.worker.intake.receive({
    integrationId: "fl",
    body: JSON.stringify({ orderId, lines: [{ lineId: "1", sku: "MUG", quantity: 1 }] }),
    contentType: "application/json",
    source: "replay",
  });
  if (result.status !== 202) throw new Error(`expected 202, got ${result.status}`);
  return result.eventId;
}

test("events another worker is still deciding when the replay's drain ends are not reported undecided", async () => {
  const ids = new IdRuns();
  ids.add(await accept("SHARED-1"));
  ids.add(await accept("SHARED-2"));
  // The replay's own drain found nothing it could claim (another worker's batch held the rows); that
  // worker commits a moment later: here, on the third look.
  let looks = 0;
  const sharing = {
    store: t.worker.store,
    processor: { drain: async () => (++looks === 3 ? t.drain() : undefined) },
  };
  expect(await settledUndecided(sharing, ids, { settleMs: 2_000, stepMs: 20 })).toBe(0);
  expect(looks).toBe(3);
});

test("an event whose processing failed is still counted once the count stops changing", async () => {
  flaky.broken.add("FAILS-1");
  try {
    const ids = new IdRuns();
    ids.add(await accept("FAILS-1"));
    await t.drain();
    expect(await settledUndecided(t.worker, ids, { settleMs: 200, stepMs: 20 })).toBe(1);
  } finally {
    flaky.broken.delete("FAILS-1");
  }
});
