import type pg from "pg";
import { decisionRowValues } from "../decision-row.js";
import type { BatchOptions } from "../types.js";
import type { EventPlan, PlannedLine } from "./batch-plan.js";
import { jsonRows, storableText, toJson } from "./sql.js";

/** Tuple layouts of the json parameters, in the order writePlans fills the tuples. */
const decisionInput = {
  n: "bigint",
  event_id: "bigint",
  integration_id: "text",
  marketplace: "text",
  account: "text",
  order_id: "text",
  line_id: "text",
  sku: "text",
  quantity: "bigint",
  restored_now: "bigint",
  restore: "smallint",
  mode: "text",
  outcome: "text",
  rule: "text",
  reason_code: "text",
  reason_label: "text",
  reason_origin: "text",
  reason_derived: "smallint",
  adapter_id: "text",
  adapter_version: "text",
  reason_parts: "text",
};
const lineInput = { integration_id: "text", order_id: "text", line_id: "text", processed: "bigint" };
const inventoryInput = { account: "text", sku: "text", delta: "bigint" };
const ignoredInput = { event_id: "bigint", integration_id: "text", kind: "text", reason: "text", order_id: "text", detail: "text" };
const deadLetterInput = {
  integration_id: "text",
  event_id: "bigint",
  source: "text",
  content_type: "text",
  error: "text",
  attempts: "integer",
};
/** `status` pending is a retry (attempts and due time change); null fields keep the row's value. */
const inboxInput = {
  id: "bigint",
  status: "text",
  duplicate_of: "bigint",
  attempts: "integer",
  next_attempt_at: "bigint",
  last_error: "text",
};

/**
 * Every write of a batch in ONE statement (one round trip, one parse and plan): each table's rows
 * arrive as one jsonb parameter, and the data-modifying CTEs run to completion whether or not
 * anything reads them. They share one snapshot, which is fine: no CTE reads what another writes
 * (the outbox takes the ids decisions_written returns). Decision ids are drawn from the identity
 * sequence in the statement itself and handed out by position (row n gets the n-th smallest id, as a
 * drawn-first id would), so that ids follow the batch's order. An adjustment is a decision that
 * restored units (the adjustments view, migration 4): its outbox row takes the decision's id, while
 * the host sink is enabled (host_sink, migration 8; read in the statement's snapshot, so a batch
 * written after 'restock sink disable' commits queues nothing).
 */
const writeBatchSql = `
WITH
decision_ids AS MATERIALIZED (
  SELECT id, row_number() OVER (ORDER BY id) AS n
  FROM (SELECT nextval((SELECT pg_get_serial_sequence('decisions', 'id')::regclass)) AS id
        FROM generate_series(1, jsonb_array_length($2::jsonb))) drawn),
decisions_written AS (
  INSERT INTO decisions (id, event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore,
    mode, outcome, rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, reason_parts, decided_at)
  SELECT i.id, r.event_id, r.integration_id, r.marketplace, r.account, r.order_id, r.line_id, r.sku, r.quantity, r.restored_now, r.restore,
    r.mode, r.outcome, r.rule, r.reason_code, r.reason_label, r.reason_origin, r.reason_derived, r.adapter_id, r.adapter_version, r.reason_parts, $1::bigint
  FROM ${jsonRows("$2", decisionInput)} AS r JOIN decision_ids i ON i.n = r.n
  RETURNING id, restored_now),
outbox_written AS (
  INSERT INTO outbox (adjustment_id, next_attempt_at, key_with_time) SELECT id, $1::bigint, true FROM decisions_written WHERE restored_now > 0
    AND EXISTS (SELECT 1 FROM host_sink WHERE enabled)),
lines_written AS (
  INSERT INTO line_progress (integration_id, order_id, line_id, processed_quantity, updated_at)
  SELECT r.integration_id, r.order_id, r.line_id, r.processed, $1::bigint FROM ${jsonRows("$3", lineInput)} AS r
  ON CONFLICT (integration_id, order_id, line_id) DO UPDATE SET processed_quantity = excluded.processed_quantity, updated_at = excluded.updated_at),
inventory_written AS (
  INSERT INTO inventory (account, sku, on_hand, updated_at)
  SELECT r.account, r.sku, r.delta, $1::bigint FROM ${jsonRows("$4", inventoryInput)} AS r
  ON CONFLICT (account, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = excluded.updated_at),
ignored_written AS (
  INSERT INTO ignored_events (event_id, integration_id, kind, reason, order_id, detail, created_at)
  SELECT r.event_id, r.integration_id, r.kind, r.reason, r.order_id, r.detail, $1::bigint FROM ${jsonRows("$5", ignoredInput)} AS r),
dead_letters_written AS (
  INSERT INTO dead_letters (kind, integration_id, event_id, source, content_type, error, attempts, created_at)
  SELECT 'failed', r.integration_id, r.event_id, r.source, r.content_type, r.error, r.attempts, $1::bigint
  FROM ${jsonRows("$7", deadLetterInput)} AS r)
UPDATE inbox e SET
  status = u.status,
  duplicate_of = COALESCE(u.duplicate_of, e.duplicate_of),
  attempts = COALESCE(u.attempts, e.attempts),
  next_attempt_at = COALESCE(u.next_attempt_at, e.next_attempt_at),
  last_error = CASE u.status WHEN 'done' THEN NULL WHEN 'duplicate' THEN e.last_error ELSE u.last_error END,
  processed_at = CASE u.status WHEN 'pending' THEN e.processed_at ELSE $1::bigint END
FROM ${jsonRows("$6", inboxInput)} AS u
WHERE e.id = u.id`;

/**
 * Writes the plans of a batch: decisions (audit and adjustments), outbox rows, line progress, on-hand,
 * ignored events, inbox statuses (`pending` is a retry: attempts and due time change) and dead letters.
 */
export async function writePlans(client: pg.ClientBase, plans: readonly EventPlan[], options: BatchOptions): Promise<void> {
  if (plans.length === 0) return;
  const decisions: unknown[][] = [];
  const onHand = new Map<string, [account: string, sku: string, delta: number]>();
  for (const plan of plans) {
    const { event, evaluation } = plan.applied;
    const adapter = evaluation?.ok ? evaluation : undefined;
    for (const { decision, orderId, restoredNow } of plan.decisions) {
      decisions.push([decisions.length + 1, ...decisionRowValues(event, orderId, decision, restoredNow, adapter)]);
      if (restoredNow === 0) continue;
      const key = `${event.account}\u0000${decision.sku}`;
      const total = onHand.get(key) ?? [event.account, decision.sku, 0];
      total[2] += restoredNow;
      onHand.set(key, total);
    }
  }
  const lines = new Map<string, PlannedLine>();
  for (const plan of plans) for (const [key, line] of plan.lines) lines.set(key, line);
  // One row per SKU, in one global order: two batches adding to the same SKUs cannot deadlock.
  const totals = [...onHand.values()].sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  const ignoredRows = plans.flatMap(({ item: { event }, ignored }) =>
    ignored.map((entry) => [event.id, event.integrationId, entry.kind, entry.reason, entry.orderId, entry.detail]),
  );
  const deadLetters = plans.flatMap(({ item: { event }, outcome }) =>
    outcome.status === "dead"
      ? [[event.integrationId, event.id, event.source, event.contentType, storableText(outcome.error), outcome.attempts]]
      : [],
  );
  // Named: parsed and planned once per connection.
  await client.query({
    name: "restock_write_batch",
    text: writeBatchSql,
    values: [
      options.now,
      toJson(decisions),
      toJson([...lines.values()].map((line) => [line.integrationId, line.orderId, line.lineId, line.processed])),
      toJson(totals),
      toJson(ignoredRows),
      toJson(plans.map(inboxUpdate)),
      toJson(deadLetters),
    ],
  });
  // Applied events hold none of their orders any more (only those naming several have rows).
  const released = plans.filter(
    ({ item, outcome }) => item.namesSeveralOrders && (outcome.status === "done" || outcome.status === "duplicate"),
  );
  if (released.length > 0) {
    await client.query({
      name: "restock_release_orders",
      text: "DELETE FROM inbox_orders WHERE event_id = ANY($1::bigint[])",
      values: [released.map(({ item }) => item.event.id)],
    });
  }
}

/** A tuple of `inboxInput`. */
function inboxUpdate({ item: { event }, outcome }: EventPlan): unknown[] {
  switch (outcome.status) {
    case "done":
      return [event.id, "done"];
    case "duplicate":
      return [event.id, "duplicate", outcome.of];
    case "retry":
      return [event.id, "pending", null, outcome.attempts, outcome.nextAttemptAt, storableText(outcome.error)];
    case "dead":
      return [event.id, "dead", null, outcome.attempts, null, storableText(outcome.error)];
  }
}

/** Code-unit order, the same in every worker whatever the database's collation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
