import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { channelCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";
import { until } from "./helpers/until.js";

const dir = tempDir();

/** The value of a series of /metrics: the line of `name` whose labels include every one given (0 when none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const line = text
    .split("\n")
    .find(
      (entry) =>
        (entry.startsWith(`${name} `) || entry.startsWith(`${name}{`)) &&
        Object.entries(labels).every(([key, value]) => entry.includes(`${key}="${value}"`)),
    );
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(" ") + 1));
}

async function metrics(t: TestWorker): Promise<string> {
  return (await t.request("GET", "/metrics", { token: false })).text();
}

describe("restock_batch_duration_seconds", () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startWorker(dir, {}, { name: "batches" });
    await t.worker.settings.put("bd-etsy", { marketplace: "etsy" }, "api");
  });
  afterAll(() => t.stop());

  test("observes batches that claimed events, not the empty polls of an idle processor", async () => {
    for (let i = 0; i < 5; i++) await t.drain();
    expect(sample(await metrics(t), "restock_batch_duration_seconds_count")).toBe(0);

    const result = await t.worker.intake.receive({
      integrationId: "bd-etsy",
      body: channelCancellation("BD-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]),
      contentType: "application/json",
      source: "api",
    });
    expect(result.status).toBe(202);
    // One batch decides the event; the next one finds nothing.
    await t.drain();
    const text = await metrics(t);
    expect(sample(text, "restock_batch_duration_seconds_count")).toBe(1);
    expect(sample(text, "restock_events_processed_total", { marketplace: "etsy", result: "done" })).toBe(1);
    expect(sample(text, "restock_units_restored_total", { marketplace: "etsy" })).toBe(1);
    expect(sample(text, "restock_processing_latency_seconds_count", { marketplace: "etsy" })).toBe(1);
  });
});

describe("restock_events_rejected_total counts what Fastify refuses on the intake routes, and a missing adapter", () => {
  let t: TestWorker;
  beforeAll(async () => {
    // Created while the fallback adapter is loaded; then served by a worker with Amazon's adapter only.
    const setup = await startWorker(dir, {}, { name: "refusals" });
    await setup.worker.settings.put("rf-etsy", { marketplace: "etsy", webhookSecret: "rf-etsy-secret-1" }, "api");
    await setup.stop();
    t = await startWorker(dir, { adapters: ["@restock/adapter-amazon"], bodyLimit: 1024 }, { name: "refusals" });
  });
  afterAll(() => t.stop());

  test("415 (content type, content encoding), 413 (body too large) and 503 (no adapter), by the integration's marketplace", async () => {
    const post = (path: string, body: string, headers: Record<string, string>, token = false) =>
      t.request("POST", path, { body, headers, token });
    const json = { "content-type": "application/json", "x-restock-token": "rf-etsy-secret-1" };
    expect((await post("/webhooks/rf-etsy", "a,b", { ...json, "content-type": "text/csv" })).status).toBe(415);
    expect((await post("/webhooks/rf-etsy", "{}", { ...json, "content-encoding": "gzip" })).status).toBe(415);
    expect((await post("/v1/integrations/rf-etsy/cancellations", "a,b", { "content-type": "text/csv" }, true)).status).toBe(415);
    // The host's route asks for its token first: without it, 401 (not counted), whatever the encoding.
    const gzipped = { "content-type": "application/json", "content-encoding": "gzip" };
    expect((await post("/v1/integrations/rf-etsy/cancellations", "{}", gzipped)).status).toBe(401);
    expect((await post("/v1/integrations/rf-etsy/cancellations", "{}", gzipped, true)).status).toBe(415);
    expect((await post("/webhooks/rf-etsy", JSON.stringify({ pad: "x".repeat(2000) }), json)).status).toBe(413);
    // An integration that does not exist is refused before its body (and so its type or size) is looked at.
    expect((await post("/webhooks/nobody", "a,b", { "content-type": "text/csv" })).status).toBe(404);
    expect((await post("/webhooks/nobody", JSON.stringify({ pad: "x".repeat(2000) }), json)).status).toBe(404);
    const noAdapter = await post("/webhooks/rf-etsy", channelCancellation("RF-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]), json);
    expect(noAdapter.status).toBe(503);

    const expected = [
      [{ marketplace: "etsy", reason: "unsupported_media_type" }, 4],
      [{ marketplace: "etsy", reason: "payload_too_large" }, 1],
      [{ marketplace: "etsy", reason: "no_adapter" }, 1],
      [{ marketplace: "unknown", reason: "unknown_integration" }, 2],
    ] as const;
    const counts = (text: string) => expected.map(([labels]) => sample(text, "restock_events_rejected_total", labels));
    // A refusal Fastify makes is counted once the integration's marketplace is looked up (the answer does not wait).
    let text = "";
    await until(async () => {
      text = await metrics(t);
      return counts(text).every((count, i) => count >= expected[i]![1]);
    }, 5_000).catch(() => {});
    expect(counts(text)).toEqual(expected.map(([, count]) => count));
  });
});

// A series that first appears at 25 (the first sink failures after a restart) is no increase to
// rate() or increase(): alerts missed each restart's first burst (observability review).
describe("counters have their series from the start", () => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startWorker(dir, {}, { name: "preset" });
  });
  afterAll(() => t.stop());

  test("each loaded marketplace's intake, processing and restore counters, and the sink's results, read 0 before anything happens", async () => {
    const text = await metrics(t);
    const present = (name: string, labels: Record<string, string>) =>
      text
        .split("\n")
        .some((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)));
    for (const result of ["delivered", "failed"]) expect(present("restock_sink_deliveries_total", { result }), result).toBe(true);
    for (const reason of ["unauthorized", "store_unavailable", "invalid_payload", "no_adapter"]) {
      expect(present("restock_events_rejected_total", { marketplace: "shopify", reason }), reason).toBe(true);
      expect(present("restock_events_rejected_total", { marketplace: "unknown", reason }), `unknown ${reason}`).toBe(true);
    }
    expect(present("restock_events_received_total", { marketplace: "walmart", source: "webhook" })).toBe(true);
    expect(present("restock_events_processed_total", { marketplace: "amazon", result: "dead" })).toBe(true);
    expect(present("restock_units_restored_total", { marketplace: "ebay" })).toBe(true);
    expect(sample(text, "restock_sink_deliveries_total", { result: "failed" })).toBe(0);
  });
});
