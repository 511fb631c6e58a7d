import { connect } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createGroupCommit } from "../src/intake/group-commit.js";
import { createIntake } from "../src/intake/intake.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir("restock-before-body-");
let t: TestWorker;

beforeAll(async () => {
  t = await startWorker(dir, {}, { run: true });
  for (const [id, marketplace, webhookSecret] of [
    ["woo-1", "woocommerce", "woo-secret-123"],
    ["shop-1", "shopify", "shpss-secret-123"],
    ["shop-2", "shopify", null],
  ] as const) {
    const response = await t.request("PUT", `/v1/integrations/${id}`, {
      contentType: "application/json",
      body: JSON.stringify({ marketplace, ...(webhookSecret ? { webhookSecret } : {}) }),
    });
    expect(response.status).toBe(201);
  }
});
afterAll(() => t.stop());

/**
 * Sends a webhook's headers, declaring a 1 MiB body, and a first kilobyte of it, never the rest;
 * resolves with the status line if an answer comes within `waitMs`, else undefined.
 */
function sendUnfinished(path: string, headers: Record<string, string> = {}, waitMs = 2_000): Promise<string | undefined> {
  const { port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, waitMs);
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      if (answer.includes("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer.slice(0, answer.indexOf("\r\n")));
      }
    });
    const head = Object.entries({ "content-type": "application/json", "content-length": String(1 << 20), ...headers })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${head}\r\n${" ".repeat(1024)}`);
  });
}

// Anyone could hold a 1 MiB buffer per connection for 30 s on an id that does not exist or without
// its token: the answer waited for the whole body (HTTP security review: 600 such connections took
// the worker from 132 MB to 705 MB).
test("an unknown integration, and a shared-secret one without its token, are refused before the body has come", async () => {
  expect(await sendUnfinished("/webhooks/nobody-1")).toBe("HTTP/1.1 404 Not Found");
  expect(await sendUnfinished("/webhooks/woo-1")).toBe("HTTP/1.1 401 Unauthorized");
  expect(await sendUnfinished("/webhooks/woo-1?token=wrong-token")).toBe("HTTP/1.1 401 Unauthorized");
  expect(await sendUnfinished("/webhooks/woo-1", { "x-restock-token": "wrong-token" })).toBe("HTTP/1.1 401 Unauthorized");
  // With its token, or where the adapter signs the body (Shopify's HMAC), the body is read first: still waiting.
  expect(await sendUnfinished("/webhooks/woo-1", { "x-restock-token": "woo-secret-123" }, 500)).toBeUndefined();
  expect(await sendUnfinished("/webhooks/shop-1", { "x-shopify-hmac-sha256": "not-a-signature" }, 500)).toBeUndefined();
  // Without a secret, nothing can pass its check: refused at once, signing adapter or not.
  expect(await sendUnfinished("/webhooks/shop-2", { "x-shopify-hmac-sha256": "not-a-signature" })).toBe("HTTP/1.1 401 Unauthorized");
  const metrics = await (await t.request("GET", "/metrics")).text();
  expect(metrics).toMatch(/^restock_events_rejected_total\{marketplace="unknown",reason="unknown_integration"\} 1$/m);
  expect(metrics).toMatch(/^restock_events_rejected_total\{marketplace="woocommerce",reason="unauthorized"\} 3$/m);
});

test("a whole delivery gets the same answers as before, counted once", async () => {
  const body = JSON.stringify({ orderId: "W-1", lines: [{ lineId: "1", sku: "MUG", quantity: 1 }] });
  const refused = await t.request("POST", "/webhooks/woo-1", { body, contentType: "application/json", token: false });
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ message: "webhook authentication failed" });
  const unknown = await t.request("POST", "/webhooks/nobody-2", { body, contentType: "application/json", token: false });
  expect(unknown.status).toBe(404);
  const accepted = await t.request("POST", "/webhooks/woo-1?token=woo-secret-123", { body, contentType: "application/json", token: false });
  expect(accepted.status).toBe(202);
  const metrics = await (await t.request("GET", "/metrics")).text();
  expect(metrics).toMatch(/^restock_events_rejected_total\{marketplace="unknown",reason="unknown_integration"\} 2$/m);
  expect(metrics).toMatch(/^restock_events_rejected_total\{marketplace="woocommerce",reason="unauthorized"\} 4$/m);
});

// During an outage the early look-up failed, was passed over, and receive looked up again, waiting
// its time limit a second time: a 503 after twice the wait (PostgreSQL review: 8 s for 4).
test("a look-up that fails before the body answers 503 at once, counted once, and is not made again", async () => {
  let lookups = 0;
  const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
  const store = t.worker.store;
  const metrics = createMetrics(store);
  const intake = createIntake({
    store,
    lookup: async () => {
      lookups += 1;
      throw down;
    },
    engine: t.worker.engine,
    commits: createGroupCommit(store),
    metrics,
    logger: createLogger("silent"),
  });
  expect(await intake.admitWebhook("woo-1", { headers: {}, url: "/webhooks/woo-1" })).toEqual({
    status: 503,
    error: "the delivery could not be stored now: deliver it again later",
  });
  expect(lookups).toBe(1);
  expect(await metrics.registry.getSingleMetricAsString("restock_events_rejected_total")).toMatch(
    /^restock_events_rejected_total\{marketplace="unknown",reason="store_unavailable"\} 1$/m,
  );
});
