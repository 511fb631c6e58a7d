import { afterAll, beforeAll, expect, test } from "vitest";
import { createIntegrations } from "../support/create-integrations.js";
import { ADMIN_TOKEN, type ConsoleWorker, startConsoleWorker } from "./harness.js";

let app: ConsoleWorker;
// A worker that loads Amazon and Shopify only, and no fallback adapter (RESTOCK_ADAPTERS), on a
// database that also holds a Walmart integration (set up by a worker that had the adapter).
beforeAll(async () => {
  app = await startConsoleWorker({ adapters: ["@restock/adapter-amazon", "@restock/adapter-shopify"] });
  await createIntegrations(app.worker.store, [
    { id: "walmart-gone", marketplace: "walmart", account: "acme-store", mode: "smart", webhookSecret: null, createdAt: 0, updatedAt: 0 },
  ]);
});
afterAll(() => app?.stop());

// Its Smart Logic table said "sends no reason codes: every cancellation from it is restored", while
// every delivery was refused 503 (no adapter loaded).
test("an integration whose marketplace has no adapter loaded says its deliveries are refused, not that all are restored", async () => {
  const page = await app.worker.http.inject({
    method: "GET",
    url: "/console/integrations/walmart-gone",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(page.statusCode).toBe(200);
  expect(page.body).toContain("No adapter for");
  expect(page.body).toContain("its deliveries are refused (503");
  expect(page.body).not.toContain("every cancellation from it is restored");
  const delivered = await app.push("walmart-gone", '{"order": {}}', "application/json");
  expect(delivered.status).toBe(503);
});
