import type pg from "pg";
import { mergeReasonUnits, NO_REASON_UNITS, needsReasonUnits, type ReasonUnits, reasonUnitsOfRow } from "../../ledger/advance-line.js";
import { needsBody, withBody } from "../claimed-body.js";
import { missingIntegration, unknownIntegration } from "../missing-integration.js";
import { nulPath } from "../nul-path.js";
import { holdKeys, OrderHolds, ordersByEvent } from "../order-holds.js";
import {
  type BatchOptions,
  type BatchReport,
  type ClaimedEvent,
  type EvaluateEvent,
  type EventEvaluation,
  latestRetryAt,
} from "../types.js";
import {
  type BatchItem,
  commitPlan,
  type EventPlan,
  failurePlan,
  type LineLedger,
  lineKey,
  newBatchState,
  planEvent,
} from "./batch-plan.js";
import { inTransaction } from "./connect.js";
import { createInboxStatistics } from "./inbox-statistics.js";
import { LockSpace, orderLockKey } from "./locks.js";
import { writePlans } from "./write-plans.js";

// body: null until read when the event has a stored parse (see readNeededBodies).
type ClaimRow = Omit<ClaimedEvent, "body"> & {
  body: Buffer | null;
  bodyHash: string;
  orderKey: string | null;
  waiting: boolean;
  appliedBefore: number | null;
  /** The integration row is gone: claimed with unknownIntegration's settings, failed with missingIntegration. */
  integrationMissing: boolean;
};

// One statement, one snapshot:
// - claimed: due events in arrival order, skipping rows another batch holds; an event waits while an
//   earlier event of its (integration, order) is pending a retry (attempts > 0: the small partial
//   index inbox_retrying). A new event (attempts 0) is due on arrival, as on SQLite, whatever time
//   it was stamped with: an instance whose clock ran ahead stamps its events in the future, and they
//   waited (and held their orders) until every worker's clock got there.
//   FOR UPDATE OF e: integrations stay unlocked. MATERIALIZED: the rows are locked once. LEFT JOIN:
//   an event whose integration row is gone is claimed and failed (../missing-integration.ts).
// - waiting: a claimed event with an earlier pending event of its order that this batch does not hold
//   (another batch claimed it, or it waits for a retry). It is what keeps two batches from applying
//   events of one order at once, and in arrival order. In the claim's snapshot an event another batch
//   commits meanwhile still looks pending, so the check can only err towards waiting.
// - appliedBefore: the first applied event with the same body and a lower id (one probe of the partial
//   index inbox_body per event): this one is a duplicate and is not evaluated.
const claimSql = `
WITH claimed AS MATERIALIZED (
  SELECT e.id, e.integration_id, COALESCE(i.marketplace, $3) AS marketplace, COALESCE(i.account, $4) AS account,
         COALESCE(i.mode, $5) AS mode, i.id IS NULL AS integration_missing, e.source, e.format, e.content_type, e.body, e.parsed,
         e.received_at, e.attempts, e.body_hash, e.order_key
  FROM inbox e LEFT JOIN integrations i ON i.id = e.integration_id
  WHERE e.status = 'pending' AND (e.attempts = 0 OR e.next_attempt_at <= $1 OR e.next_attempt_at > $8) AND e.id > $6
    AND NOT EXISTS (
      SELECT 1 FROM inbox p
      WHERE p.status = 'pending' AND p.attempts > 0 AND p.integration_id = e.integration_id AND p.order_key = e.order_key
        AND p.id < e.id AND p.next_attempt_at > $1 AND p.next_attempt_at <= $8)
  ORDER BY e.id
  LIMIT $2
  FOR UPDATE OF e SKIP LOCKED)
SELECT c.id, c.integration_id AS "integrationId", c.marketplace, c.account, c.mode, c.source, c.format,
       c.content_type AS "contentType", CASE WHEN c.parsed IS NULL THEN c.body END AS body, c.parsed, c.received_at AS "receivedAt", c.attempts,
       c.body_hash AS "bodyHash", c.order_key AS "orderKey", c.integration_missing AS "integrationMissing",
       c.order_key IS NOT NULL AND EXISTS (
         SELECT 1 FROM inbox p
         WHERE p.status = 'pending' AND p.integration_id = c.integration_id AND p.order_key = c.order_key
           AND p.id < c.id AND p.id NOT IN (SELECT id FROM claimed) AND p.id <> ALL($7::bigint[])) AS waiting,
       (SELECT MIN(d.id) FROM inbox d
        WHERE d.status = 'done' AND d.integration_id = c.integration_id AND d.body_hash = c.body_hash AND d.id < c.id) AS "appliedBefore"
FROM claimed c
ORDER BY c.id`;

// Named (prepared once per connection): the statements below the claim have one plan whatever the
// batch, so each connection parses and plans them once. The claim is not: its plan depends on the
// inbox's statistics and on how many events are due.
const tryLocksSql = "SELECT k AS key, pg_try_advisory_xact_lock($1, k) AS locked FROM unnest($2::int[]) AS k";

// The orders of pending events naming several, over the ids a claim page spans (rows of dead events
// stay for a requeue, so the scan starts at the lowest pending id: inbox_pending).
const pendingOrdersSql = `
SELECT o.event_id, o.integration_id, o.order_key
FROM inbox_orders o JOIN inbox e ON e.id = o.event_id
WHERE e.status = 'pending' AND o.event_id > $1 AND o.event_id <= $2
  AND o.event_id >= (SELECT MIN(id) FROM inbox WHERE status = 'pending')`;

// Earlier pending events outside the batch whose order is one a claimed event names after its first
// (the claim's \`waiting\` compares first orders only). inbox_order: (integration_id, order_key, id).
const sharingOrdersSql = `
SELECT e.id, e.integration_id AS "integrationId", e.order_key AS "orderKey"
FROM inbox e JOIN unnest($1::text[], $2::text[]) AS k(integration_id, order_key)
  ON e.integration_id = k.integration_id AND e.order_key = k.order_key
WHERE e.status = 'pending' AND e.id < $3 AND e.id <> ALL($4::bigint[])`;

// One probe of the primary key's prefix per (integration, order), whatever the table's statistics
// say: OFFSET 0 keeps the lateral subquery from being flattened into a join the planner may run as a
// sort of the whole table (it did, on a table growing faster than autovacuum analyzes it).
const progressSql = `
SELECT o.integration_id AS "integrationId", o.order_id AS "orderId", p.line_id AS "lineId", p.processed AS processed
FROM unnest($1::text[], $2::text[]) AS o(integration_id, order_id)
CROSS JOIN LATERAL (
  SELECT l.line_id, l.processed_quantity AS processed FROM line_progress l
  WHERE l.integration_id = o.integration_id AND l.order_id = o.order_id
  OFFSET 0) p`;

// A line's decisions' reasons and parts (merged by mergeReasonUnits), by the decisions_order index (a line's decisions are a few rows).
const lineReasonsSql = `
SELECT d.integration_id AS "integrationId", d.order_id AS "orderId", d.line_id AS "lineId",
  d.reason_code AS "reasonCode", d.quantity, d.reason_parts AS "reasonParts"
FROM decisions d JOIN unnest($1::text[], $2::text[], $3::text[]) AS l(integration_id, order_id, line_id)
  ON d.order_id = l.order_id AND d.integration_id = l.integration_id AND d.line_id = l.line_id`;

/**
 * The PostgreSQL "claim a batch / apply a batch" transaction; many workers run it at once.
 * 1. Claim due events with FOR UPDATE SKIP LOCKED (a worker that dies mid-batch loses its
 *    connection, so its transaction rolls back and the events are pending again).
 * 2. Leave out events whose order has an earlier pending event held elsewhere (same statement).
 * 3. Evaluate, then take a transaction-level advisory lock per (integration, order) the decisions
 *    touch (events can name several orders); an event whose order another batch holds waits.
 * 4. Read line progress under those locks, plan every event as the SQLite store does, and write
 *    the claim, the decisions, the ledger and the audit in this one transaction.
 */
export function createBatchProcessor(pool: pg.Pool, timeoutMs: number) {
  // Bounded (connect.ts, inTransaction): a batch on a connection the network lost fails after twice
  // timeoutMs and the next runs on a fresh one; unbounded it waited on the dead socket for as long
  // as TCP took to notice (hours with the system's keepalive defaults), and processing stood still.
  const refreshStatistics = createInboxStatistics(pool, timeoutMs);
  return async (options: BatchOptions, evaluate: EvaluateEvent): Promise<BatchReport> => {
    await refreshStatistics();
    return inTransaction(
      pool,
      async (client) => {
        const { free, keysOf } = await claimFree(client, options);
        if (free.length === 0) return { claimed: 0, events: [], adjustments: 0 };
        await readNeededBodies(client, free, evaluate);
        const items = evaluateAll(free, keysOf, evaluate);
        const ready = await lockOrders(client, items);
        const ledger = await readLedger(client, ready);
        const plans = await applyItems(client, ready, ledger, options);
        const adjustments = plans.reduce((sum, plan) => sum + plan.decisions.filter((d) => d.restoredNow > 0).length, 0);
        // Events left to another batch are not counted: once it commits, they are due for the next batch
        // of any worker (woken by the next intake commit, or at its next poll).
        return { claimed: ready.length, events: plans.map((plan) => plan.applied), adjustments };
      },
      { timeoutMs },
    );
  };
}

interface HoldKeys {
  /** Every (integration, order) each claimed event holds; several for an event naming several orders. */
  byEvent: Map<number, string[]>;
  /** Claimed events naming several orders. */
  several: Set<number>;
}

/**
 * Claims up to `options.limit` events free to apply, in id order: not waiting (the claim's check of
 * first orders), and naming no order that an earlier pending event outside the batch names, nor one
 * a waiting event names (holds pass on: ../order-holds.ts). Held events are passed over and the claim
 * goes on past them, so they never fill a batch while others could apply (up to CLAIM_PAGES pages;
 * the rows passed over stay locked by this batch, which only makes other batches wait for them).
 */
async function claimFree(client: pg.ClientBase, options: BatchOptions): Promise<{ free: ClaimRow[]; keysOf: HoldKeys }> {
  const free: ClaimRow[] = [];
  const keysOf: HoldKeys = { byEvent: new Map(), several: new Set() };
  const holds = new OrderHolds();
  const claimed: number[] = [];
  let after = 0;
  for (let page = 0; page < CLAIM_PAGES && free.length < options.limit; page++) {
    const { rows } = await client.query<ClaimRow>(claimSql, [
      options.now,
      options.limit - free.length,
      unknownIntegration.marketplace,
      unknownIntegration.account,
      unknownIntegration.mode,
      after,
      claimed,
      latestRetryAt(options),
    ]);
    if (rows.length === 0) break;
    const last = rows.at(-1)!.id;
    for (const row of rows) claimed.push(row.id);
    const several = await severalOrders(client, after, last);
    const inPage = new Set(rows.map((row) => row.id));
    for (const row of rows) keysOf.byEvent.set(row.id, holdKeys(row.integrationId, row.orderKey, several.get(row.id)?.orders));
    for (const row of rows) if (row.waiting) holds.hold(row.id, keysOf.byEvent.get(row.id)!);
    for (const [id, { integrationId, orders }] of several) {
      if (inPage.has(id)) keysOf.several.add(id);
      else holds.hold(id, holdKeys(integrationId, null, orders));
    }
    const later = rows
      .filter((row) => several.has(row.id))
      .flatMap((row) => several.get(row.id)!.orders.map((order) => [row.integrationId, order]));
    if (later.length > 0) {
      const { rows: sharing } = await client.query<{ id: number; integrationId: string; orderKey: string }>({
        name: "restock_sharing_orders",
        text: sharingOrdersSql,
        values: [later.map(([integrationId]) => integrationId), later.map(([, order]) => order), last, claimed],
      });
      for (const { id, integrationId, orderKey } of sharing) holds.hold(id, holdKeys(integrationId, orderKey, several.get(id)?.orders));
    }
    for (const row of rows) {
      const keys = keysOf.byEvent.get(row.id)!;
      if (row.waiting || holds.heldBefore(row.id, keys)) holds.hold(row.id, keys);
      else free.push(row);
    }
    after = last;
  }
  return { free, keysOf };
}

/** How many claim pages one batch reads at most, passing over held events (claimFree). */
const CLAIM_PAGES = 8;

/** The pending events naming several orders with ids in (after, last], and their orders. */
async function severalOrders(client: pg.ClientBase, after: number, last: number) {
  const { rows } = await client.query<[eventId: number, integrationId: string, orderKey: string]>({
    name: "restock_pending_orders",
    text: pendingOrdersSql,
    values: [after, last],
    rowMode: "array",
  });
  return ordersByEvent(rows);
}

/**
 * The claim reads bodies only for events without a stored parse (decided from intake's parse, an
 * event's ~2 KB body is dead weight on the wire). Events whose stored parse another adapter version
 * made need theirs too: read them in one more query (rare: after an upgrade).
 */
async function readNeededBodies(client: pg.ClientBase, rows: ClaimRow[], evaluate: EvaluateEvent): Promise<void> {
  const missing = rows.filter((row) => row.body === null && row.appliedBefore === null);
  const needed = missing.filter((row) => needsBody(evaluate, row));
  if (needed.length === 0) return;
  const { rows: bodies } = await client.query<{ id: number; body: Buffer }>("SELECT id, body FROM inbox WHERE id = ANY($1::bigint[])", [
    needed.map((row) => row.id),
  ]);
  const byId = new Map(bodies.map((row) => [Number(row.id), row.body]));
  for (const row of needed) row.body = byId.get(Number(row.id))!;
}

/** Evaluates each body once per batch; a body already applied in the database is not evaluated. */
function evaluateAll(rows: readonly ClaimRow[], { byEvent, several }: HoldKeys, evaluate: EvaluateEvent): BatchItem[] {
  const evaluations = new Map<string, EventEvaluation>();
  return rows.map(({ bodyHash, orderKey: _orderKey, waiting: _waiting, appliedBefore: applied, integrationMissing, body, ...row }) => {
    const event = withBody(row, body);
    const appliedBefore = applied ?? undefined;
    const key = `${event.integrationId}\u0000${bodyHash}`;
    let evaluation = evaluations.get(key);
    if (appliedBefore === undefined && evaluation === undefined) {
      evaluation = integrationMissing ? missingIntegration(event.integrationId) : storable(safeEvaluate(evaluate, event));
      evaluations.set(key, evaluation);
    }
    const keys = byEvent.get(event.id)!;
    const namesSeveralOrders = several.has(event.id);
    return {
      event,
      bodyHash,
      holdKeys: keys,
      namesSeveralOrders,
      appliedBefore,
      evaluation: appliedBefore === undefined ? evaluation : undefined,
    };
  });
}

/**
 * Takes the processing lock of every order the items' decisions touch; returns the items that can
 * be applied now. An item touching an order held by another batch waits, and so do the later items
 * of its order (arrival order).
 */
async function lockOrders(client: pg.ClientBase, items: readonly BatchItem[]): Promise<BatchItem[]> {
  const keysOf = new Map<BatchItem, number[]>();
  const all = new Set<number>();
  for (const item of items) {
    const keys = touchedOrders(item).map((orderId) => orderLockKey(item.event.integrationId, orderId));
    keysOf.set(item, keys);
    for (const key of keys) all.add(key);
  }
  if (all.size === 0) return [...items];
  const { rows } = await client.query<{ key: number; locked: boolean }>({
    name: "restock_try_order_locks",
    text: tryLocksSql,
    values: [LockSpace.processing, [...all]],
  });
  const busy = new Set(rows.filter((row) => !row.locked).map((row) => row.key));
  if (busy.size === 0) return [...items];
  const held = new OrderHolds();
  return items.filter((item) => {
    const wait = held.heldBefore(item.event.id, item.holdKeys) || keysOf.get(item)!.some((key) => busy.has(key));
    if (wait) held.hold(item.event.id, item.holdKeys);
    return !wait;
  });
}

function touchedOrders(item: BatchItem): string[] {
  if (!item.evaluation?.ok) return [];
  return item.evaluation.orders.filter((order) => order.decisions.length > 0).map((order) => order.orderId);
}

/** The line progress of every order the batch touches, and the units by reason of its lines cancelled under several reasons. */
async function readLedger(client: pg.ClientBase, items: readonly BatchItem[]): Promise<LineLedger> {
  return { progress: await readProgress(client, items), reasons: await readReasonUnits(client, items) };
}

async function readProgress(client: pg.ClientBase, items: readonly BatchItem[]): Promise<Map<string, number>> {
  const pairs = new Map<string, [string, string]>();
  for (const item of items) {
    for (const orderId of touchedOrders(item))
      pairs.set(`${item.event.integrationId}\u0000${orderId}`, [item.event.integrationId, orderId]);
  }
  const progress = new Map<string, number>();
  if (pairs.size === 0) return progress;
  const { rows } = await client.query<{ integrationId: string; orderId: string; lineId: string; processed: number }>({
    name: "restock_read_progress",
    text: progressSql,
    values: [[...pairs.values()].map(([integrationId]) => integrationId), [...pairs.values()].map(([, orderId]) => orderId)],
  });
  for (const row of rows) progress.set(lineKey(row.integrationId, row.orderId, row.lineId), row.processed);
  return progress;
}

/**
 * The units by reason of all decisions (mergeReasonUnits) on each line a decision of the batch splits
 * by reason (advanceLine), none for a line with no decision yet. Such lines are rare, so this reads nothing
 * for most batches.
 */
async function readReasonUnits(client: pg.ClientBase, items: readonly BatchItem[]): Promise<Map<string, ReasonUnits>> {
  const reasons = new Map<string, ReasonUnits>();
  const wanted: [string, string, string][] = [];
  for (const item of items) {
    if (!item.evaluation?.ok) continue;
    for (const order of item.evaluation.orders) {
      for (const decision of order.decisions) {
        const key = lineKey(item.event.integrationId, order.orderId, decision.lineId);
        if (!needsReasonUnits(decision) || reasons.has(key)) continue;
        reasons.set(key, NO_REASON_UNITS);
        wanted.push([item.event.integrationId, order.orderId, decision.lineId]);
      }
    }
  }
  if (wanted.length === 0) return reasons;
  const { rows } = await client.query<{
    integrationId: string;
    orderId: string;
    lineId: string;
    reasonCode: string | null;
    quantity: number;
    reasonParts: string | null;
  }>(lineReasonsSql, [
    wanted.map(([integrationId]) => integrationId),
    wanted.map(([, orderId]) => orderId),
    wanted.map(([, , lineId]) => lineId),
  ]);
  for (const row of rows) {
    const key = lineKey(row.integrationId, row.orderId, row.lineId);
    reasons.set(
      key,
      mergeReasonUnits(reasons.get(key) ?? NO_REASON_UNITS, reasonUnitsOfRow(row.reasonCode, row.quantity, row.reasonParts)),
    );
  }
  return reasons;
}

/**
 * Plans and writes the whole batch at once; when a write fails, rolls that back and applies the
 * events one by one, each under a savepoint, so that a database error fails one event, not the batch.
 */
async function applyItems(
  client: pg.ClientBase,
  items: readonly BatchItem[],
  ledger: LineLedger,
  options: BatchOptions,
): Promise<EventPlan[]> {
  const state = newBatchState(ledger);
  const plans: EventPlan[] = [];
  for (const item of items) {
    const plan = planEvent(state, item, options);
    if (!plan) continue;
    commitPlan(state, plan);
    plans.push(plan);
  }
  await client.query("SAVEPOINT batch_writes");
  try {
    // No RELEASE: COMMIT ends the savepoint with the transaction, one round trip fewer.
    await writePlans(client, plans, options);
    return plans;
  } catch {
    await client.query("ROLLBACK TO SAVEPOINT batch_writes");
  }
  return applyOneByOne(client, items, ledger, options);
}

async function applyOneByOne(
  client: pg.ClientBase,
  items: readonly BatchItem[],
  ledger: LineLedger,
  options: BatchOptions,
): Promise<EventPlan[]> {
  const state = newBatchState(ledger);
  const plans: EventPlan[] = [];
  for (const item of items) {
    let plan = planEvent(state, item, options);
    if (!plan) continue;
    await client.query("SAVEPOINT event_writes");
    try {
      await writePlans(client, [plan], options);
      await client.query("RELEASE SAVEPOINT event_writes");
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT event_writes");
      plan = failurePlan(item, `writing the decisions failed: ${(error as Error).message}`, options);
      await writePlans(client, [plan], options);
    }
    commitPlan(state, plan);
    plans.push(plan);
  }
  return plans;
}

function safeEvaluate(evaluate: EvaluateEvent, event: ClaimedEvent): EventEvaluation {
  try {
    return evaluate(event);
  } catch (error) {
    return { ok: false, error: `evaluation threw: ${(error as Error)?.message ?? String(error)}` };
  }
}

/** PostgreSQL text cannot hold U+0000: such an evaluation fails with a clear error rather than a driver one. */
function storable(evaluation: EventEvaluation): EventEvaluation {
  if (!evaluation.ok || nulPath(evaluation) === undefined) return evaluation;
  return { ok: false, error: "an order id, line id, SKU or reason holds a NUL character (U+0000), which PostgreSQL cannot store" };
}
