import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { canonicalCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

let t: TestWorker;

beforeAll(async () => {
  t = await startWorker(tempDir());
  await t.worker.settings.put("down-wm", { marketplace: "walmart" }, "api");
});
afterAll(() => t.stop().catch(() => {}));

async function metric(text: string, name: string): Promise<string | undefined> {
  return text
    .split("\n")
    .find((line) => line.startsWith(`${name} `))
    ?.slice(name.length + 1);
}

// The database going away (a restart, a full disk, a lock held past the timeout) is the sender's
// cue to deliver again, not a server fault: 503 with Retry-After, and /metrics keeps answering.
test("with its database gone, the worker answers deliveries 503 with Retry-After, and /metrics still answers, saying so", async () => {
  const body = canonicalCancellation("walmart", "W-DOWN", [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }]);
  const before = await t.request("POST", "/v1/integrations/down-wm/cancellations", { body, contentType: "application/json" });
  expect(before.status).toBe(202);
  const up = await (await t.request("GET", "/metrics", { token: false })).text();
  expect(await metric(up, "restock_store_up")).toBe("1");
  expect(await metric(up, "restock_inbox_depth")).toBe("1");

  // The worker's own connection closed under it: every read and write now throws, as against a stopped server.
  await t.worker.store.close();

  const refused = await t.request("POST", "/v1/integrations/down-wm/cancellations", { body, contentType: "application/json" });
  expect(refused.status).toBe(503);
  expect(refused.headers.get("retry-after")).toBe("10");
  expect(((await refused.json()) as { message: string }).message).toBe("the delivery could not be stored now: deliver it again later");
  const malformed = await t.request("POST", "/v1/integrations/down-wm/cancellations", { body: "{", contentType: "application/json" });
  expect(malformed.status).toBe(503);

  const scrape = await t.request("GET", "/metrics", { token: false });
  expect(scrape.status).toBe(200);
  const down = await scrape.text();
  expect(await metric(down, "restock_store_up")).toBe("0");
  for (const name of [
    "restock_inbox_depth",
    "restock_inbox_oldest_age_seconds",
    "restock_outbox_depth",
    'restock_dead_letters_open{kind="failed"}',
  ]) {
    // prom-client writes NaN as "Nan"; Prometheus reads it either way.
    expect(await metric(down, name)).toMatch(/^nan$/i);
  }
  expect(await metric(down, 'restock_events_rejected_total{marketplace="walmart",reason="store_unavailable"}')).toBe("2");
  expect(await metric(down, 'restock_events_received_total{marketplace="walmart",source="api"}')).toBe("1");
  // The malformed one was not kept: it counts as store_unavailable only, not as invalid_payload too.
  expect(await metric(down, 'restock_events_rejected_total{marketplace="walmart",reason="invalid_payload"}')).toBe("0");
});

// Another connection (a CLI command, a backup, another process) holding SQLite's write lock past
// writeTimeoutMs: the delivery is not kept, so it is answered 503 rather than held open.
test("with SQLite's write lock held elsewhere past writeTimeoutMs, a delivery gets 503; once it is free, the same delivery is stored once", async () => {
  const dir = tempDir();
  const locked = await startWorker(dir, { writeTimeoutMs: 300 });
  const other = new Database(join(dir, "worker.db"));
  try {
    await locked.worker.settings.put("busy-wm", { marketplace: "walmart" }, "api");
    const body = canonicalCancellation("walmart", "W-BUSY", [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }]);
    const send = () => locked.request("POST", "/v1/integrations/busy-wm/cancellations", { body, contentType: "application/json" });

    other.exec("BEGIN IMMEDIATE");
    const startedAt = Date.now();
    const refused = await send();
    const waited = Date.now() - startedAt;
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("10");
    // It waited for the lock (the configured 300 ms), not the default 10 s.
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(5_000);
    const scrape = await (await locked.request("GET", "/metrics", { token: false })).text();
    expect(await metric(scrape, 'restock_events_rejected_total{marketplace="walmart",reason="store_unavailable"}')).toBe("1");
    // The database answers reads but takes no writes: not ready (it said ready, store_up 1, while every delivery got 503).
    expect(await metric(scrape, "restock_store_up")).toBe("0");
    expect((await locked.request("GET", "/readyz", { token: false })).status).toBe(503);
    other.exec("ROLLBACK");

    const accepted = await send();
    expect(accepted.status).toBe(202);
    expect(other.prepare("SELECT COUNT(*) AS n FROM inbox").get()).toEqual({ n: 1 });
  } finally {
    other.close();
    await locked.stop();
  }
});
