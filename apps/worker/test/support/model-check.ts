import { expect } from "vitest";
import { type Delivery, expectedRestores, generateHistories, MODEL_INTEGRATIONS } from "../helpers/cancellation-histories.js";
import type { TestWorker } from "../helpers/start-worker.js";

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

/**
 * Runs seed's random cancellation histories (test/helpers/cancellation-histories.ts) through the
 * workers over HTTP, each delivery's copies spread over them, and checks every SKU's restored units
 * and every line's adjustments against the model. Events are decided in batches of whatever waited:
 * every worker drains before a mode change, which then applies to what comes after.
 */
export async function checkAgainstModel(workers: readonly TestWorker[], seed: number, size = { steps: 400, orders: 60 }): Promise<void> {
  const [first] = workers;
  for (const integration of MODEL_INTEGRATIONS) {
    const { id, ...settings } = integration;
    await first!.worker.settings.put(id, settings, "api");
  }
  const histories = generateHistories(seed, size);
  const modes = new Map(MODEL_INTEGRATIONS.map((integration) => [integration.id, integration.mode]));
  const arrivals: { orders: Delivery["orders"]; mode: (typeof MODEL_INTEGRATIONS)[number]["mode"] }[] = [];
  let sent = 0;
  const deliver = async (delivery: Delivery) => {
    const worker = workers[sent++ % workers.length]!;
    const response = await worker.request("POST", `/v1/integrations/${delivery.integrationId}/cancellations`, {
      body: delivery.body,
      contentType: "application/json",
    });
    expect(response.status, await response.text()).toBe(202);
  };
  const drain = () => Promise.all(workers.map((worker) => worker.drain()));
  for (const step of histories.steps) {
    if (step.kind === "mode") {
      await drain();
      // Every worker reads the new mode: each caches settings for a moment, so all are told.
      for (const worker of workers) await worker.worker.settings.put(step.integrationId, { mode: step.mode }, "api");
      modes.set(step.integrationId, step.mode);
      continue;
    }
    const deliveries = step.kind === "burst" ? step.deliveries : [step];
    for (const delivery of deliveries) arrivals.push({ orders: delivery.orders, mode: modes.get(delivery.integrationId)! });
    // A burst's orders are distinct, so the order they arrive in does not matter; copies of one body go together.
    await Promise.all(deliveries.flatMap((delivery) => Array.from({ length: delivery.copies }, () => deliver(delivery))));
  }
  await drain();
  await drain();

  const expected = expectedRestores(histories, arrivals);
  const inventory = await everyRow<{ account: string; sku: string; onHand: number }>(first!, "/v1/inventory", "inventory");
  const adjustments = await everyRow<{
    account: string;
    sku: string;
    delta: number;
    integrationId: string;
    orderId: string;
    lineId: string;
  }>(first!, "/v1/adjustments", "adjustments");
  const bySku = new Map<string, number>();
  const byLine = new Map<string, number>();
  for (const adjustment of adjustments) {
    sum(bySku, `${adjustment.account}/${adjustment.sku}`, adjustment.delta);
    sum(byLine, `${adjustment.integrationId}|${adjustment.orderId}|${adjustment.lineId}`, adjustment.delta);
  }
  const onHand = new Map(inventory.filter((row) => row.onHand !== 0).map((row) => [`${row.account}/${row.sku}`, row.onHand]));
  // Not a vacuous run: units were restored.
  expect([...expected.bySku.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(50);
  expect(onHand).toEqual(expected.bySku);
  expect(bySku).toEqual(expected.bySku);
  expect(byLine).toEqual(expected.byLine);
  expect(await first!.get("/v1/dead-letters")).toMatchObject({ deadLetters: [] });
}
