import { afterEach, expect, test } from "vitest";
import { type Delivery, expectedRestores, generateHistories, MODEL_INTEGRATIONS } from "./helpers/cancellation-histories.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

let t: TestWorker | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** Every row of a cursor-paged /v1 listing. */
async function everyRow<T>(worker: TestWorker, path: string, key: string): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Record<string, unknown> = await worker.get(`${path}?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    rows.push(...(page[key] as T[]));
    cursor = page.nextCursor as string | null;
  } while (cursor);
  return rows;
}

function sum<K>(into: Map<K, number>, key: K, units: number): void {
  into.set(key, (into.get(key) ?? 0) + units);
}

// Random histories (seeded: a failing seed runs again as it failed) against an independent model of
// the rule book's §3, on the real worker over HTTP: partial cancellations that grow, one line's units
// under several reasons, shipped units, older snapshots after newer ones, exact duplicates long
// after, copies sent at once, Walmart order lists naming several orders, the same SKU on many
// orders, and mode changes. Events are decided in batches of whatever waited (drained before each
// mode change, which then applies to what comes after). Crashes and concurrent workers are tried by
// crash.test.ts and the PostgreSQL tests.
test.each([1, 2, 3, 4, 5, 6])("seed %i: every SKU's restored units and every line's adjustments are what the rules give", async (seed) => {
  t = await startWorker(tempDir());
  const worker = t;
  for (const integration of MODEL_INTEGRATIONS) {
    const { id, ...settings } = integration;
    await worker.worker.settings.put(id, settings, "api");
  }
  const histories = generateHistories(seed, { steps: 400, orders: 60 });
  const modes = new Map(MODEL_INTEGRATIONS.map((integration) => [integration.id, integration.mode]));
  const arrivals: { orders: Delivery["orders"]; mode: (typeof MODEL_INTEGRATIONS)[number]["mode"] }[] = [];
  const deliver = async (delivery: Delivery) => {
    const response = await worker.request("POST", `/v1/integrations/${delivery.integrationId}/cancellations`, {
      body: delivery.body,
      contentType: "application/json",
    });
    expect(response.status, await response.text()).toBe(202);
  };
  for (const step of histories.steps) {
    if (step.kind === "mode") {
      await worker.drain();
      await worker.worker.settings.put(step.integrationId, { mode: step.mode }, "api");
      modes.set(step.integrationId, step.mode);
      continue;
    }
    const deliveries = step.kind === "burst" ? step.deliveries : [step];
    for (const delivery of deliveries) arrivals.push({ orders: delivery.orders, mode: modes.get(delivery.integrationId)! });
    // A burst's orders are distinct, so the order they arrive in does not matter; copies of one body go together.
    await Promise.all(deliveries.flatMap((delivery) => Array.from({ length: delivery.copies }, () => deliver(delivery))));
  }
  await worker.drain();

  const expected = expectedRestores(histories, arrivals);
  const inventory = await everyRow<{ account: string; sku: string; onHand: number }>(worker, "/v1/inventory", "inventory");
  const adjustments = await everyRow<{
    account: string;
    sku: string;
    delta: number;
    integrationId: string;
    orderId: string;
    lineId: string;
  }>(worker, "/v1/adjustments", "adjustments");
  const bySku = new Map<string, number>();
  const byLine = new Map<string, number>();
  for (const adjustment of adjustments) {
    sum(bySku, `${adjustment.account}/${adjustment.sku}`, adjustment.delta);
    sum(byLine, `${adjustment.integrationId}|${adjustment.orderId}|${adjustment.lineId}`, adjustment.delta);
  }
  const onHand = new Map(inventory.filter((row) => row.onHand !== 0).map((row) => [`${row.account}/${row.sku}`, row.onHand]));
  // Not a vacuous run: units were restored, on several SKUs of both accounts.
  expect([...expected.bySku.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  expect(onHand).toEqual(expected.bySku);
  expect(bySku).toEqual(expected.bySku);
  expect(byLine).toEqual(expected.byLine);
  expect(await worker.get("/v1/dead-letters")).toMatchObject({ deadLetters: [] });
});
