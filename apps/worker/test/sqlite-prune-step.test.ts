import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import { createGroupCommit } from "../src/intake/group-commit.js";
import { createIntake } from "../src/intake/intake.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { prunePayloads } from "../src/ops/prune-payloads.js";
import { createEventEvaluator } from "../src/processing/evaluate-event.js";
import { openSqliteStore, PRUNE_STEP_BYTES } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./helpers/temp-dir.js";
import { createIntegrations } from "./support/create-integrations.js";

const dir = tempDir("restock-prune-step-");
const T0 = Date.UTC(2025, 2, 6, 12, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

// A canonical cancellation padded with whitespace to `bytes`: a large body stored as it came.
function largeCancellation(orderId: string, bytes: number): string {
  const json = JSON.stringify({
    marketplace: "walmart",
    orderId,
    occurredAt: null,
    lines: [{ lineId: "1", sku: `SKU-${orderId}`, quantity: 1, reason: { code: "SELLER_CANCEL_PRICING_ERROR" } }],
  });
  return json.slice(0, -1) + " ".repeat(bytes - Buffer.byteLength(json)) + "}";
}

const quarter = PRUNE_STEP_BYTES / 4;

/** A store holding six decided events, each with a body of a quarter of a step's budget. */
async function sixLargeDecidedEvents(name: string): Promise<{ opened: Store; ids: number[] }> {
  const opened = await openSqliteStore({ path: join(dir, `${name}.db`) });
  store = opened;
  const { engine } = await loadAdapters(DEFAULT_ADAPTERS);
  await createIntegrations(opened, [
    { id: "wm-1", marketplace: "walmart", account: "acme", mode: "smart", webhookSecret: null, createdAt: T0, updatedAt: T0 },
  ]);
  const intake = createIntake({
    store: opened,
    engine,
    commits: createGroupCommit(opened),
    metrics: createMetrics(opened),
    logger: createLogger("silent"),
    now: () => T0,
  });
  const ids: number[] = [];
  for (let n = 1; n <= 6; n++) {
    const body = largeCancellation(`PO-${n}`, quarter);
    const result = await intake.receive({ integrationId: "wm-1", body, contentType: "application/json", source: "api" });
    if (result.status !== 202) throw new Error(`expected 202, got ${JSON.stringify(result)}`);
    ids.push(result.eventId);
  }
  const decided = await opened.processBatch(
    { limit: 100, now: T0 + 1, maxAttempts: 3, retryDelayMs: () => 1000 },
    createEventEvaluator(engine),
  );
  expect(decided.events.map((event) => event.status)).toEqual(Array(6).fill("done"));
  return { opened, ids };
}

test("a SQLite prune step stops once it has freed PRUNE_STEP_BYTES of bodies; the next step goes on from there", async () => {
  const { opened, ids } = await sixLargeDecidedEvents("prune-step");
  // Four bodies of a quarter of the budget fill it: the step ends there, though its window had room for 1,000.
  const cutoff = { decidedBefore: T0 + DAY, limit: 1_000 };
  expect(await opened.prunePayloads({ ...cutoff, afterId: 0 })).toEqual({ pruned: 4, nextAfterId: ids[3], firstWaitingId: null });
  expect(await opened.getEventBody(ids[3]!)).toBeUndefined();
  expect((await opened.getEventBody(ids[4]!))?.length).toBe(quarter);
  expect(await opened.prunePayloads({ ...cutoff, afterId: ids[3]! })).toEqual({ pruned: 2, nextAfterId: null, firstWaitingId: null });
});

test("a prune run takes the steps the budget needs, drops every body and resumes after the last", async () => {
  const { opened, ids } = await sixLargeDecidedEvents("prune-run");
  const steps: number[] = [];
  const run = await prunePayloads(opened, 0, { now: T0 + DAY, onStep: (pruned) => steps.push(pruned) });
  expect(steps).toEqual([4, 2]);
  expect(run).toMatchObject({ pruned: 6, complete: true, resumeAfter: ids[3] });
  for (const id of ids) expect(await opened.getEventBody(id)).toBeUndefined();
});
