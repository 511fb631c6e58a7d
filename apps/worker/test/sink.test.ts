import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, expect, test } from "vitest";
import { channelCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

interface Delivery {
  key: string;
  body: { adjustmentId: number; sku: string; delta: number; account: string; orderId: string; lineId: string };
}

/** The host's inventory service: records every request; applies each Idempotency-Key once; fails every third request after applying it (a lost answer). */
function hostService() {
  const requests: Delivery[] = [];
  const applied = new Map<string, Delivery["body"]>();
  let count = 0;
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      const key = String(request.headers["idempotency-key"]);
      const body = JSON.parse(text) as Delivery["body"];
      requests.push({ key, body });
      if (!applied.has(key)) applied.set(key, body);
      count += 1;
      response.statusCode = count % 3 === 0 ? 500 : 200;
      response.end();
    });
  });
  return { server, requests, applied };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let t: TestWorker | undefined;
let host: Server | undefined;
afterAll(async () => {
  await t?.stop();
  host?.close();
});

test("host down, then up: every adjustment arrives, each under its own Idempotency-Key, none lost", async () => {
  const port = await freePort();
  t = await startWorker(
    dir,
    {
      "sink.url": `http://127.0.0.1:${port}/inventory/adjustments`,
      "sink.retryBaseMs": 10,
      "sink.retryMaxMs": 100,
      "sink.pollMs": 20,
      "sink.concurrency": 4,
      "processing.pollMs": 20,
    },
    { run: true },
  );
  await t.worker.settings.put("shop", { marketplace: "woocommerce", webhookSecret: "shop-secret-1" });
  const deliver = (body: string) =>
    t!.worker.intake.receive({ integrationId: "shop", body, contentType: "application/json", source: "api" });

  // 30 orders × 2 lines, then a second partial cancellation on 10 of them, and duplicates.
  for (let n = 0; n < 30; n++) {
    const body = channelCancellation(`S-${n}`, [
      { lineId: "1", sku: `SKU-${n % 7}`, quantity: 1 },
      { lineId: "2", sku: "MUG", quantity: 2 },
    ]);
    await deliver(body);
    await deliver(body);
  }
  for (let n = 0; n < 10; n++) {
    await deliver(channelCancellation(`S-${n}`, [{ lineId: "1", sku: `SKU-${n % 7}`, quantity: 3 }]));
  }
  await until(async () => (await t!.worker.store.inboxDepth()) === 0);
  const adjustments = await t.worker.store.listAdjustments({ integrationId: "shop", limit: 1000 });
  expect(adjustments).toHaveLength(70);
  // The host is down: deliveries fail and stay in the outbox.
  await until(
    async () => ((await t!.worker.metrics.sinkDeliveries.get()).values.find((v) => v.labels.result === "failed")?.value ?? 0) >= 1,
  );
  expect(await t.worker.store.outboxDepth()).toBe(70);

  const service = hostService();
  host = service.server;
  await new Promise<void>((resolve) => service.server.listen(port, "127.0.0.1", resolve));
  await until(async () => (await t!.worker.store.outboxDepth()) === 0);

  expect(service.applied.size).toBe(adjustments.length);
  for (const adjustment of adjustments) {
    expect(service.applied.get(String(adjustment.id))).toMatchObject({
      adjustmentId: adjustment.id,
      sku: adjustment.sku,
      delta: adjustment.delta,
      account: "shop",
      orderId: adjustment.orderId,
      lineId: adjustment.lineId,
    });
  }
  // Answers lost by the host (500 after applying) were retried under the same key.
  expect(service.requests.length).toBeGreaterThan(service.applied.size);
  const units = [...service.applied.values()].reduce((sum, body) => sum + body.delta, 0);
  expect(units).toBe(30 * 3 + 10 * 2);
});
