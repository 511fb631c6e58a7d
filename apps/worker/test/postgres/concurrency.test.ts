import type { Engine } from "@restock/core";
import pg from "pg";
import { afterEach, beforeAll, expect, test } from "vitest";
import { loadAdapters } from "../../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../../src/config/schema.js";
import { createGroupCommit } from "../../src/intake/group-commit.js";
import { createIntake } from "../../src/intake/intake.js";
import { createLogger } from "../../src/ops/logger.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { prunePayloads } from "../../src/ops/prune-payloads.js";
import { createEventEvaluator } from "../../src/processing/evaluate-event.js";
import { LockSpace, orderLockKey } from "../../src/store/postgres/locks.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import type { Store } from "../../src/store/store.js";
import type { BatchOptions, EvaluateEvent } from "../../src/store/types.js";
import { generateLoad, LOAD_INTEGRATIONS } from "../support/cancellation-load.js";
import { checkLedger } from "../support/check-ledger.js";
import { createIntegrations } from "../support/create-integrations.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const logger = createLogger("silent");
const T0 = Date.UTC(2025, 2, 6, 12);
let engine: Engine;
let evaluate: EvaluateEvent;
let database: TestDatabase;
const stores: Store[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  engine = (await loadAdapters(DEFAULT_ADAPTERS)).engine;
  evaluate = createEventEvaluator(engine);
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.end().catch(() => {});
  for (const store of stores.splice(0)) await store.close();
  await database.drop();
});

async function setup(count: number): Promise<Store[]> {
  database = await createTestDatabase();
  const opened = await Promise.all(Array.from({ length: count }, () => openPostgresStore({ url: database.url, logger })));
  stores.push(...opened);
  for (const integration of LOAD_INTEGRATIONS) {
    await createIntegrations(opened[0]!, [{ ...integration, webhookSecret: null, createdAt: T0, updatedAt: T0 }]);
  }
  return opened;
}

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  clients.push(client);
  return client;
}

function intakeOn(store: Store) {
  const intake = createIntake({
    store,
    engine,
    commits: createGroupCommit(store),
    metrics: createMetrics(store),
    logger,
    now: () => T0,
  });
  return (integrationId: string, body: string) => intake.receive({ integrationId, body, contentType: "application/json", source: "api" });
}

function batch(overrides: Partial<BatchOptions> = {}): BatchOptions {
  return { limit: 100, now: T0 + 1, maxAttempts: 3, retryDelayMs: () => 1000, ...overrides };
}

function cancellation(marketplace: string, orderId: string, sku: string, quantity: number): string {
  return JSON.stringify({ marketplace, orderId, occurredAt: null, lines: [{ lineId: "1", sku, quantity, reason: null }] });
}

async function accept(send: ReturnType<typeof intakeOn>, integrationId: string, body: string): Promise<number> {
  const result = await send(integrationId, body);
  if (result.status !== 202) throw new Error(`expected 202, got ${JSON.stringify(result)}`);
  return result.eventId;
}

test("four stores taking intake and processing one database at once apply every event exactly once, in order per order", async () => {
  const all = await setup(4);
  const load = generateLoad(1200, 7);
  // The load holds Walmart lines cancelled under two reasons, some of them first under one.
  const split = load.events.flatMap((event) =>
    event.lines.filter((line) => line.reasonParts).map((line) => `${event.orderId}/${line.lineId}`),
  );
  const startedWithOne = load.events.some((event) =>
    event.lines.some((line) => !line.reasonParts && split.includes(`${event.orderId}/${line.lineId}`)),
  );
  expect([split.length > 50, startedWithOne]).toEqual([true, true]);
  const senders = all.map(intakeOn);
  let delivering = true;
  const errors: unknown[] = [];
  // Four processing loops, as four worker processes run them.
  const loops = all.map(async (store) => {
    for (;;) {
      const report = await store.processBatch(batch({ limit: 50, now: Date.now() }), evaluate).catch((error: unknown) => {
        errors.push(error);
        return { claimed: 0 };
      });
      if (report.claimed === 0) {
        if (!delivering && (await store.inboxDepth()) === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  });
  // 32 deliveries in flight, each to a random store.
  const queue = [...load.events];
  await Promise.all(
    Array.from({ length: 32 }, async (_, n) => {
      for (let event = queue.pop(); event; event = queue.pop()) {
        await accept(senders[(n + queue.length) % senders.length]!, event.integrationId, event.body);
      }
    }),
  );
  delivering = false;
  await Promise.all(loops);

  expect(errors).toEqual([]);
  const summary = await checkLedger(await connect(), load);
  expect(summary.inboxRows).toBe(load.events.length);
  expect(summary.applied).toBe(load.bodies.size);
  expect(summary.duplicates).toBe(load.events.length - load.bodies.size);
}, 120_000);

test("events held by a worker that dies mid-batch are skipped, with their order's later events, and taken once its connection is gone", async () => {
  const [store] = await setup(1);
  const send = intakeOn(store!);
  const a1 = await accept(send, "wm-1", cancellation("walmart", "PO-A", "KETTLE", 1));
  const a2 = await accept(send, "wm-1", cancellation("walmart", "PO-A", "KETTLE", 3));
  const b1 = await accept(send, "wm-1", cancellation("walmart", "PO-B", "TOASTER", 2));

  // Another worker's batch: it claimed PO-A's first event, then hangs.
  const other = await connect();
  // Its connection is killed below: that error is the point, not a failure.
  other.on("error", () => {});
  await other.query("BEGIN");
  await other.query("SELECT id FROM inbox WHERE id = $1 FOR UPDATE", [a1]);

  const during = await store!.processBatch(batch(), evaluate);
  // a1 is locked (skipped); a2 must not overtake it; b1 goes on.
  expect(during.claimed).toBe(1);
  expect(during.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([[b1, "done", 2]]);
  expect(await store!.getEvent(a2)).toMatchObject({ status: "pending", attempts: 0 });

  // The worker dies: PostgreSQL ends its session and rolls its transaction back.
  const admin = await connect();
  await admin.query("SELECT pg_terminate_backend($1)", [(other as unknown as { processID: number }).processID]);
  await new Promise((resolve) => setTimeout(resolve, 100));

  const after = await store!.processBatch(batch({ now: T0 + 2 }), evaluate);
  expect(after.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([
    [a1, "done", 1],
    [a2, "done", 2],
  ]);
  expect((await store!.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([
    ["KETTLE", 3],
    ["TOASTER", 2],
  ]);
});

test("an event whose orders another batch holds waits, and so do its order's later events", async () => {
  const [store] = await setup(1);
  const send = intakeOn(store!);
  // One feed message per order: this event touches two orders and is keyed by the first.
  const feed = JSON.stringify({
    marketplace: "amazon",
    orderId: "113-1",
    occurredAt: null,
    lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: { code: "BuyerCanceled" } }],
  });
  const e1 = await accept(send, "amz-us", feed);
  const e2 = await accept(send, "amz-us", cancellation("amazon", "113-1", "MUG", 2));
  const e3 = await accept(send, "amz-us", cancellation("amazon", "113-2", "PLATE", 1));

  // A batch elsewhere holds order 113-1's processing lock (say, for an event naming several orders).
  const other = await connect();
  await other.query("BEGIN");
  await other.query("SELECT pg_advisory_xact_lock($1, $2)", [LockSpace.processing, orderLockKey("amz-us", "113-1")]);

  const held = await store!.processBatch(batch(), evaluate);
  expect(held.claimed).toBe(1);
  expect(held.events.map((e) => [e.event.id, e.status])).toEqual([[e3, "done"]]);
  expect(await store!.inboxDepth()).toBe(2);

  await other.query("COMMIT");
  const released = await store!.processBatch(batch({ now: T0 + 2 }), evaluate);
  expect(released.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([
    [e1, "done", 1],
    [e2, "done", 1],
  ]);
});

test("idle workers are woken by other workers' intake commits and by requeued dead letters", async () => {
  const [listening, writing] = await setup(2);
  let wakeUps = 0;
  listening!.onInboxEvents!(() => {
    wakeUps += 1;
  });
  const settled = async (count: number) => {
    for (let i = 0; i < 100 && wakeUps < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return wakeUps;
  };
  // Connecting the listener counts as one wake-up: commits made before it were not heard.
  expect(await settled(1)).toBe(1);
  await accept(intakeOn(writing!), "wm-1", cancellation("walmart", "PO-1", "KETTLE", 1));
  expect(await settled(2)).toBe(2);

  const dead = await writing!.processBatch(batch({ maxAttempts: 1 }), () => ({ ok: false, error: "adapter bug" }));
  expect(dead.events.map((e) => e.status)).toEqual(["dead"]);
  const [letter] = await writing!.listDeadLetters({ kind: "failed", limit: 1 });
  expect(await writing!.requeueDeadLetter(letter!.id, T0 + 5)).toBe(true);
  expect(await settled(3)).toBe(3);
});

test("a value PostgreSQL cannot store fails that event with a clear error; the rest of the batch applies", async () => {
  const [store] = await setup(1);
  const send = intakeOn(store!);
  const good = await accept(send, "wm-1", cancellation("walmart", "PO-1", "KETTLE", 2));
  // NUL never reaches the store from intake: in an id the adapter's schema refuses it, in free text
  // (a reason's label) intake does, each naming the field.
  expect(await send("wm-1", cancellation("walmart", "PO-\u0000-2", "MUG", 1))).toMatchObject({ status: 400, field: "orderId" });
  const labelled = JSON.stringify({
    marketplace: "walmart",
    orderId: "PO-2",
    occurredAt: null,
    lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: { code: "NOT_A_WALMART_CODE", label: "out\u0000of stock" } }],
  });
  expect(await send("wm-1", labelled)).toMatchObject({ status: 400, field: "lines[0].reason.label" });
  // An event taken in before intake refused it (or an evaluator that puts one in) still fails alone.
  const nul = await accept(send, "wm-1", cancellation("walmart", "PO-2", "MUG", 1));
  const huge = await accept(send, "wm-1", cancellation("walmart", "PO-3", "PLATE", 1));
  const after = await accept(send, "wm-1", cancellation("walmart", "PO-4", "BOWL", 1));

  // An evaluator whose decision overflows BIGINT: the batch's writes fail, then each event is applied on its own.
  const overflowing: EvaluateEvent = (event) => {
    const evaluation = evaluate(event);
    if ((event.id !== huge && event.id !== nul) || !evaluation.ok) return evaluation;
    const [order] = evaluation.orders;
    const decision = order!.decisions[0]!;
    const changed = event.id === huge ? { ...decision, quantity: 1e19 } : { ...decision, sku: "M\u0000UG" };
    return { ...evaluation, orders: [{ ...order!, decisions: [changed] }] };
  };
  const report = await store!.processBatch(batch({ maxAttempts: 1 }), overflowing);
  expect(report.events.map((e) => [e.event.id, e.status])).toEqual([
    [good, "done"],
    [nul, "dead"],
    [huge, "dead"],
    [after, "done"],
  ]);
  expect(await store!.getEvent(nul)).toMatchObject({
    lastError: "an order id, line id, SKU or reason holds a NUL character (U+0000), which PostgreSQL cannot store",
  });
  expect((await store!.getEvent(huge))?.lastError).toMatch(/^writing the decisions failed: .*out of range for type bigint/);
  expect((await store!.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([
    ["BOWL", 1],
    ["KETTLE", 2],
  ]);
  expect((await store!.listDeadLetters({ kind: "failed", limit: 10 })).map((l) => l.eventId)).toEqual([huge, nul]);
});

test("the first batch after a never-analyzed intake refreshes the inbox's statistics, then claims in arrival order from intake's parse", async () => {
  const [store] = await setup(1);
  const send = intakeOn(store!);
  const ids: number[] = [];
  for (let n = 0; n < 120; n++) ids.push(await accept(send, "wm-1", cancellation("walmart", `PO-${n}`, `SKU-${n % 7}`, 1 + (n % 3))));
  const admin = await connect();
  const reltuples = async () =>
    (await admin.query<{ n: number }>("SELECT reltuples AS n FROM pg_class WHERE relname = 'inbox'")).rows[0]!.n;
  expect(await reltuples()).toBe(-1);
  // Intake kept each event's parse result: processing decides from it rather than parsing the body again.
  const parsed = await admin.query<{ n: string }>('SELECT COUNT(*) AS n FROM inbox WHERE parsed LIKE \'{"adapterId":"walmart"%\'');
  expect(Number(parsed.rows[0]!.n)).toBe(120);

  const report = await store!.processBatch(batch({ limit: 50 }), evaluate);
  expect(await reltuples()).toBe(120);
  expect(report.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual(
    ids.slice(0, 50).map((id, n) => [id, "done", 1 + (n % 3)]),
  );
  expect(await store!.inboxDepth()).toBe(70);
});

test("the claim leaves out the bodies of events decided from intake's parse, and reads those an adapter upgrade makes parse again", async () => {
  const [store] = await setup(1);
  const send = intakeOn(store!);
  const fresh = await accept(send, "wm-1", cancellation("walmart", "PO-FRESH", "MUG", 2));
  const upgraded = await accept(send, "wm-1", cancellation("walmart", "PO-OLD", "MUG", 3));
  const admin = await connect();
  // As if `upgraded` had been parsed by an older adapter version before the worker was upgraded.
  await admin.query(`UPDATE inbox SET parsed = replace(parsed, '"adapterVersion":"', '"adapterVersion":"0.0.0-old') WHERE id = $1`, [
    upgraded,
  ]);

  const bodiesRead: number[] = [];
  const watching: EvaluateEvent = Object.assign(
    (event: Parameters<EvaluateEvent>[0]) => {
      // A body left out is not the event's own property (reading it throws, from the prototype).
      if (Object.getOwnPropertyDescriptor(event, "body") !== undefined) bodiesRead.push(event.id);
      return evaluate(event);
    },
    { needsBody: evaluate.needsBody },
  );
  const report = await store!.processBatch(batch(), watching);
  expect(report.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([
    [fresh, "done", 2],
    [upgraded, "done", 3],
  ]);
  // Only the upgraded event arrived with its body; the other one's was never sent by the server.
  expect(bodiesRead).toEqual([upgraded]);
  const decided = await store!.queryDecisions({ integrationId: "wm-1", limit: 10 });
  expect(decided.map((d) => [d.orderId, d.restoredNow])).toEqual([
    ["PO-OLD", 3],
    ["PO-FRESH", 2],
  ]);
});

test("a prune run does not step past a delivery still committing: the next run, from its resumeAfter, prunes that body too", async () => {
  const [store] = await setup(1);
  const day = 24 * 60 * 60 * 1000;
  const now = T0 + 100 * day;
  const integrationId = LOAD_INTEGRATIONS[0]!.id;
  // Inbox rows as intake writes them (an empty JSON body is enough here), from connections of the test's own.
  const add = async (client: pg.Client, key: string, receivedAt: number, status: string, processedAt: number | null) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO inbox (integration_id, source, format, body, body_hash, order_key, received_at, status, next_attempt_at, processed_at)
       VALUES ($1, 'api', 'json', '\\x7b7d', $2, $2, $3, $4, $3, $5) RETURNING id`,
      [integrationId, key, receivedAt, status, processedAt],
    );
    return Number(rows[0]!.id);
  };
  const writer = await connect();
  const inFlight = await connect();
  await add(writer, "old", T0, "done", T0 + 1);
  // A delivery whose id is drawn but not committed yet, and a later one that commits first.
  await inFlight.query("BEGIN");
  const drawn = await add(inFlight, "drawn", now, "pending", null);
  const committed = await add(writer, "committed", now, "pending", null);
  expect(committed).toBeGreaterThan(drawn);

  const first = await prunePayloads(store!, 30, { now, step: 1 });
  expect(first).toMatchObject({ pruned: 1, complete: true });
  await inFlight.query("COMMIT");
  await writer.query("UPDATE inbox SET status = 'done', processed_at = $1 WHERE id IN ($2, $3)", [now, drawn, committed]);
  const later = await prunePayloads(store!, 30, { now: now + 40 * day, step: 1, afterId: first.resumeAfter });
  expect(later).toMatchObject({ pruned: 2, complete: true });
  const { rows } = await writer.query<{ n: number }>("SELECT count(*)::int AS n FROM inbox WHERE body IS NOT NULL");
  expect(rows[0]!.n).toBe(0);
});
