import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, test } from "vitest";
import { canonicalCancellation } from "../helpers/payloads.js";
import { startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { until } from "../helpers/until.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
const closers: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => {});
  await database?.drop();
  database = undefined;
});

/** The host's inventory service: the body of every POST, by Idempotency-Key. */
async function host(): Promise<{ url: string; received: Map<string, { orderId: string; delta: number }>; posts: () => number }> {
  const received = new Map<string, { orderId: string; delta: number }>();
  let posts = 0;
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      posts += 1;
      received.set(String(request.headers["idempotency-key"]), JSON.parse(text));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, posts: () => posts };
}

// The review's case: three instances on one database, one of them set up without the sink URL, and
// the host heard of 280 of 530 adjustments. Queueing is the database's state now: the instance
// without the URL queues the adjustments of the events it decides, and the other delivers them.
test("two instances on one database, only one with a sink URL: the host hears of every adjustment, each once", async () => {
  database = await createTestDatabase();
  const service = await host();
  const workers: TestWorker[] = [];
  for (const sinkUrl of [service.url, undefined]) {
    const flags = { databaseUrl: database.url, "processing.pollMs": 50, ...(sinkUrl ? { "sink.url": sinkUrl, "sink.pollMs": 50 } : {}) };
    const worker = await startWorker(tempDir(), flags, { run: true });
    closers.push(() => worker.stop());
    workers.push(worker);
  }
  await workers[0]!.worker.settings.put("wm", { marketplace: "walmart", mode: "always" }, "api");
  const orders = 60;
  for (let n = 0; n < orders; n++) {
    const body = canonicalCancellation("walmart", `W-${n}`, [{ lineId: "1", sku: "MUG", quantity: 1 + (n % 3), reason: null }]);
    // Every other delivery to the instance without the sink URL, whose processor may decide any of them.
    const response = await workers[n % 2]!.request("POST", "/v1/integrations/wm/cancellations", { body, contentType: "application/json" });
    expect(response.status).toBe(202);
  }
  await until(async () => (await workers[0]!.worker.store.inboxDepth()) === 0 && (await workers[0]!.worker.store.outboxDepth()) === 0);
  expect(await workers[1]!.worker.store.listAdjustments({ limit: 1000 })).toHaveLength(orders);
  // The instance without the URL did decide some of them (else this would show nothing).
  const restoredThere = (await workers[1]!.worker.metrics.unitsRestored.get()).values.reduce((sum, { value }) => sum + value, 0);
  expect(restoredThere).toBeGreaterThan(0);
  expect(service.received.size).toBe(orders);
  expect(service.posts()).toBe(orders);
  const units = [...service.received.values()].reduce((sum, body) => sum + body.delta, 0);
  const [mug] = await workers[1]!.worker.store.listInventory({ account: "wm", sku: "MUG", limit: 1 });
  expect(units).toBe(mug!.onHand);
}, 60_000);
