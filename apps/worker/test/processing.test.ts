import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { retryDeadLetter } from "../src/processing/dead-letters.js";
import { isOpenLetter } from "../src/store/types.js";
import { execSql } from "./helpers/exec-sql.js";
import { flakySwitches, startFlakyWorker } from "./helpers/flaky-worker.js";
import type { TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const flaky = flakySwitches();

const dir = tempDir();
let t: TestWorker;

beforeAll(async () => {
  t = await startFlakyWorker(dir, {
    "processing.maxAttempts": 3,
    "processing.retryBaseMs": 1,
    "processing.retryMaxMs": 5,
  });
});
afterAll(() => t.stop());

function send(orderId: string, quantity: number, sku = "MUG") {
  return t.worker.intake.receive({
    integrationId: "fl",
    body: JSON.stringify({ orderId, lines: [{ lineId: "1", sku, quantity }] }),
    contentType: "application/json",
    source: "api",
  });
}

async function eventId(result: Awaited<ReturnType<typeof send>>): Promise<number> {
  if (result.status !== 202) throw new Error(`expected 202, got ${result.status}`);
  return result.eventId;
}

/** Drains, waiting out retry delays, until nothing is pending. */
async function settle(): Promise<void> {
  for (let i = 0; i < 200 && (await t.worker.store.inboxDepth()) > 0; i++) {
    await t.drain();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function restored(orderId: string): Promise<number> {
  const rows = await t.worker.store.listAdjustments({ integrationId: "fl", orderId, limit: 100 });
  return rows.reduce((sum, row) => sum + row.delta, 0);
}

/** The ledger's on-hand for a SKU of the "fl" account (added per batch, after the events that succeeded). */
async function onHand(sku = "MUG"): Promise<number> {
  const [row] = await t.worker.store.listInventory({ account: "fl", sku, limit: 1 });
  return row?.onHand ?? 0;
}

/** A second connection to the worker's SQLite file, to break writes the way a full disk or a bad row would. */
const sql = (statement: string) => execSql(join(dir, "worker.db"), statement);

test("a failing event retries, its order's later events wait for it, other orders go on; after the last attempt it is dead-lettered and replayable", async () => {
  const mugsBefore = await onHand();
  const a1 = await eventId(await send("A", 1));
  const a2 = await eventId(await send("A", 2));
  const b1 = await eventId(await send("B", 1));
  // Intake parsed all three; what fails now is writing order A's decisions, in the middle of a batch.
  sql(`CREATE TRIGGER fail_order_a BEFORE INSERT ON decisions WHEN NEW.order_id = 'A'
       BEGIN SELECT RAISE(ABORT, 'order A cannot be written'); END`);

  await t.worker.processor.runBatch();
  const first = await t.worker.store.getEvent(a1);
  expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: "writing the decisions failed: order A cannot be written" });
  // The later event of order A was not applied before the earlier one.
  expect(await t.worker.store.getEvent(a2)).toMatchObject({ status: "pending", attempts: 0 });
  // The batch was rolled back and run again event by event: B is applied exactly once, A left nothing behind.
  expect(await t.worker.store.getEvent(b1)).toMatchObject({ status: "done" });
  expect(await restored("B")).toBe(1);
  expect(await restored("A")).toBe(0);
  expect(await t.worker.store.queryDecisions({ integrationId: "fl", limit: 100 })).toMatchObject([{ orderId: "B", restoredNow: 1 }]);
  // On-hand (one upsert per SKU at the end of the batch) counts B's unit, not the failed A's.
  expect(await onHand()).toBe(mugsBefore + 1);

  // Attempts 2 and 3 fail too: a1 goes to the dead-letter table. a2 then runs (and fails) on its own.
  await settle();
  expect(await t.worker.store.getEvent(a1)).toMatchObject({ status: "dead", attempts: 3 });
  expect(await t.worker.store.getEvent(a2)).toMatchObject({ status: "dead", attempts: 3 });
  const { deadLetters } = await t.get<{ deadLetters: { id: number; kind: string; eventId: number; error: string; attempts: number }[] }>(
    "/v1/dead-letters?kind=failed",
  );
  expect(deadLetters.map((letter) => [letter.eventId, letter.attempts])).toEqual([
    [a2, 3],
    [a1, 3],
  ]);
  expect(deadLetters[0]!.error).toContain("order A cannot be written");

  // The cause is fixed: replaying both applies them; cumulative quantities make the order irrelevant.
  sql("DROP TRIGGER fail_order_a");
  for (const letter of deadLetters) {
    const response = await t.request("POST", `/v1/dead-letters/${letter.id}/retry`);
    expect(response.status).toBe(200);
    // No later event of order A was decided meanwhile: nothing to warn of.
    expect(await response.json()).not.toHaveProperty("decidedSince");
  }
  await settle();
  expect(await t.worker.store.getEvent(a1)).toMatchObject({ status: "done" });
  expect(await t.worker.store.getEvent(a2)).toMatchObject({ status: "done" });
  expect(await restored("A")).toBe(2);
  expect(await onHand()).toBe(mugsBefore + 3);
  // A letter is retried once; a letter that does not exist is not found.
  expect((await t.request("POST", `/v1/dead-letters/${deadLetters[0]!.id}/retry`)).status).toBe(409);
  const missing = await t.request("POST", "/v1/dead-letters/987654/retry");
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ message: "no dead letter 987654" });
  expect((await t.get<{ deadLetters: unknown[] }>("/v1/dead-letters?kind=failed")).deadLetters).toEqual([]);
});

test("retrying a failed event after a later event of its order was decided says so, in the API and on the console's letter page", async () => {
  const c1 = await eventId(await send("C", 2));
  const c2 = await eventId(await send("C", 3));
  // Only the first event's decision cannot be written: it dies, and then the later one applies.
  sql(`CREATE TRIGGER fail_c1 BEFORE INSERT ON decisions WHEN NEW.order_id = 'C' AND NEW.quantity = 2
       BEGIN SELECT RAISE(ABORT, 'the first event of order C cannot be written'); END`);
  await settle();
  sql("DROP TRIGGER fail_c1");
  expect(await t.worker.store.getEvent(c1)).toMatchObject({ status: "dead" });
  expect(await t.worker.store.getEvent(c2)).toMatchObject({ status: "done" });
  const { deadLetters } = await t.get<{ deadLetters: { id: number; eventId: number }[] }>("/v1/dead-letters?kind=failed");
  const letter = deadLetters.find((entry) => entry.eventId === c1)!;

  const page = await (await t.request("GET", `/console/dead-letters/${letter.id}`)).text();
  expect(page).toContain(`Event ${c2} of order <code>C</code> was decided after this event failed.`);
  const response = await t.request("POST", `/v1/dead-letters/${letter.id}/retry`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ retried: true, eventId: c1, decidedSince: { orderId: "C", eventId: c2 } });
  await settle();
  // Applied after the total of 3: its total of 2 adds nothing, which is what the warning is about.
  expect(await restored("C")).toBe(3);
  // The console's page after the retry (where a retry from the console lands) still says so: the
  // operator checks the order's stock now.
  const retried = await (await t.request("GET", `/console/dead-letters/${letter.id}?retried=1`)).text();
  expect(retried).toContain(`Event ${c2} of order <code>C</code> was decided after this event failed, and this event was`);
});

test("a rejected delivery is kept and, once the adapter accepts it, retried into the inbox", async () => {
  flaky.rejected.add("R");
  const result = await send("R", 2);
  expect(result).toMatchObject({ status: 400, field: "orderId" });
  const rejectionId = result.status === 400 ? result.rejectionId : 0;
  flaky.rejected.delete("R");
  const response = await t.request("POST", `/v1/dead-letters/${rejectionId}/retry`);
  expect(response.status).toBe(200);
  const retry = (await response.json()) as { kind: string; result: { status: number; eventId: number } };
  expect(retry.kind).toBe("rejected");
  expect(retry.result.status).toBe(202);
  await settle();
  expect(await restored("R")).toBe(2);
  const letter = await t.worker.store.getDeadLetter(rejectionId);
  expect(letter?.retryResult).toBe(`accepted as event ${retry.result.eventId}`);
  // Counted as a retry, not as one more delivery from where it first came.
  const metrics = await (await t.request("GET", "/metrics", { token: false })).text();
  expect(metrics).toContain('restock_events_received_total{marketplace="flaky",source="retry"} 1');
});

test("a webhook's rejected body, retried, is read as the marketplace's payload again, never as a canonical cancellation", async () => {
  // A body shaped like a canonical cancellation, sent as a webhook: the adapter refuses it.
  flaky.rejected.add("CW");
  const body = JSON.stringify({
    marketplace: "flaky",
    orderId: "CW",
    occurredAt: null,
    lines: [{ lineId: "1", sku: "MUG", quantity: 5, reason: { code: "CUSTOMER" } }],
  });
  const result = await t.worker.intake.receive({
    integrationId: "fl",
    body,
    contentType: "application/json",
    source: "webhook",
    webhook: { headers: { "x-restock-token": "flaky-secret-1" }, url: "/webhooks/fl" },
  });
  expect(result).toMatchObject({ status: 400, field: "orderId" });
  const rejectionId = result.status === 400 ? result.rejectionId : 0;
  // Retried, and its rejection retried in turn: still the marketplace's payload, still refused.
  let letter = rejectionId;
  for (let round = 0; round < 2; round++) {
    const response = await t.request("POST", `/v1/dead-letters/${letter}/retry`);
    expect(response.status).toBe(200);
    const retry = (await response.json()) as { kind: string; result: { status: number; field: string; rejectionId: number } };
    expect(retry).toMatchObject({ kind: "rejected", result: { status: 400, field: "orderId" } });
    letter = retry.result.rejectionId;
  }
  await settle();
  expect(await restored("CW")).toBe(0);
  flaky.rejected.delete("CW");
});

test("an adapter that breaks on a payload at intake does not lose it: accepted, then dead-lettered by processing", async () => {
  flaky.broken.add("Z");
  const id = await eventId(await send("Z", 1));
  await settle();
  expect(await t.worker.store.getEvent(id)).toMatchObject({ status: "dead", attempts: 3 });
  flaky.broken.delete("Z");
});

test("a failed letter's body downloads named after the format intake read its event in (a replay kept no Content-Type)", async () => {
  flaky.broken.add("ZR");
  const body = JSON.stringify({ orderId: "ZR", lines: [{ lineId: "1", sku: "MUG", quantity: 1 }] });
  const id = await eventId(await t.worker.intake.receive({ integrationId: "fl", body, contentType: null, source: "replay" }));
  await settle();
  flaky.broken.delete("ZR");
  const { deadLetters } = await t.get<{ deadLetters: { id: number; eventId: number }[] }>("/v1/dead-letters?kind=failed");
  const letter = deadLetters.find((entry) => entry.eventId === id)!;
  const response = await t.request("GET", `/v1/dead-letters/${letter.id}/body`);
  expect(response.headers.get("content-type")).toBe("application/octet-stream");
  expect(response.headers.get("content-disposition")).toBe(`attachment; filename="dead-letter-${letter.id}.json"`);
  expect(await response.text()).toBe(body);
});

test("processing decides from intake's parse; after an adapter upgrade a waiting event is parsed again by the new version", async () => {
  const parsesBefore = flaky.parses;
  const first = await eventId(await send("P1", 2, "CUP"));
  expect(flaky.parses).toBe(parsesBefore + 1);
  await settle();
  expect(flaky.parses).toBe(parsesBefore + 1);
  expect(await restored("P1")).toBe(2);

  // An event parsed by another version of the adapter (as if the worker was upgraded while it waited).
  const second = await eventId(await send("P2", 3, "CUP"));
  sql(`UPDATE inbox_payloads SET parsed = json_set(parsed, '$.adapterVersion', '9.9.8') WHERE event_id = ${second}`);
  await settle();
  expect(flaky.parses).toBe(parsesBefore + 3);
  expect(await restored("P2")).toBe(3);
  const decisions = await t.worker.store.queryDecisions({ integrationId: "fl", limit: 100 });
  expect(decisions.filter((d) => d.eventId === first || d.eventId === second).map((d) => [d.orderId, d.adapterVersion])).toEqual([
    ["P2", "9.9.9"],
    ["P1", "9.9.9"],
  ]);
});

test("GET /v1/adapters lists what is loaded with versions", async () => {
  const { adapters } = await t.get<{
    adapters: { id: string; version: string; package: string; fallback: boolean; webhookAuth: string }[];
  }>("/v1/adapters");
  expect(adapters.map((a) => [a.id, a.version, a.fallback])).toEqual([
    ["flaky", "9.9.9", false],
    ["no-reason", expect.any(String), true],
  ]);
  // Neither verifies webhooks itself: the worker checks the integration's shared secret, and says so.
  expect(adapters.map((a) => a.webhookAuth)).toEqual(["shared-secret", "shared-secret"]);
  expect(adapters[0]!.package).toMatch(/flaky-adapter\.mjs$/);
});

test("a retry the store cannot take now (intake's 503) says so and leaves the letter open for the next retry", async () => {
  const refused = await t.worker.intake.receive({ integrationId: "fl", body: "{", contentType: "application/json", source: "api" });
  if (refused.status !== 400) throw new Error(`expected 400, got ${refused.status}`);
  const unavailable = {
    receive: async () => ({ status: 503 as const, error: "the delivery could not be stored now: deliver it again later" }),
    admitWebhook: async () => undefined,
  };
  const result = await retryDeadLetter(t.worker.store, unavailable, refused.rejectionId);
  expect(result).toMatchObject({ retried: false, unavailable: true });
  expect(isOpenLetter((await t.worker.store.getDeadLetter(refused.rejectionId))!)).toBe(true);
  // With the store back, the same letter retries (and, still malformed, is rejected again).
  const again = await retryDeadLetter(t.worker.store, t.worker.intake, refused.rejectionId);
  expect(again).toMatchObject({ retried: true, kind: "rejected", result: { status: 400 } });
});
