import type pg from "pg";
import type { BatchOptions } from "../types.js";
import type { EventPlan, PlannedLine } from "./batch-plan.js";
import { drawIds, insertMany, storableText } from "./sql.js";

const decisionColumns = {
  id: "bigint",
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
  decided_at: "bigint",
};
const adjustmentColumns = {
  id: "bigint",
  account: "text",
  sku: "text",
  delta: "bigint",
  integration_id: "text",
  marketplace: "text",
  order_id: "text",
  line_id: "text",
  event_id: "bigint",
  decision_id: "bigint",
  created_at: "bigint",
};
const outboxColumns = { adjustment_id: "bigint", next_attempt_at: "bigint" };
const lineColumns = { integration_id: "text", order_id: "text", line_id: "text", processed_quantity: "bigint", updated_at: "bigint" };
const inventoryColumns = { account: "text", sku: "text", on_hand: "bigint", updated_at: "bigint" };
const ignoredColumns = {
  event_id: "bigint",
  integration_id: "text",
  kind: "text",
  reason: "text",
  order_id: "text",
  detail: "text",
  created_at: "bigint",
};
const deadLetterColumns = {
  kind: "text",
  integration_id: "text",
  event_id: "bigint",
  source: "text",
  content_type: "text",
  error: "text",
  attempts: "integer",
  created_at: "bigint",
};

// One statement for every inbox row of the batch; `pending` is a retry (attempts and due time change).
const updateInbox = `
UPDATE inbox e SET
  status = u.status,
  duplicate_of = COALESCE(u.duplicate_of, e.duplicate_of),
  attempts = COALESCE(u.attempts, e.attempts),
  next_attempt_at = COALESCE(u.next_attempt_at, e.next_attempt_at),
  last_error = CASE u.status WHEN 'done' THEN NULL WHEN 'duplicate' THEN e.last_error ELSE u.last_error END,
  processed_at = CASE u.status WHEN 'pending' THEN e.processed_at ELSE $1 END
FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::integer[], $6::bigint[], $7::text[])
  AS u(id, status, duplicate_of, attempts, next_attempt_at, last_error)
WHERE e.id = u.id`;

/**
 * Writes the plans of a batch in a dozen statements whatever its size: decisions (audit),
 * adjustments, outbox rows, line progress, on-hand, ignored events, inbox statuses and dead letters.
 */
export async function writePlans(client: pg.ClientBase, plans: readonly EventPlan[], options: BatchOptions): Promise<void> {
  const { now } = options;
  const decided = plans.flatMap((plan) => plan.decisions.map((planned) => ({ plan, planned })));
  const restoring = decided.filter(({ planned }) => planned.restoredNow > 0).length;
  const decisionIds = await drawIds(client, "decisions", decided.length);
  const adjustmentIds = await drawIds(client, "adjustments", restoring);

  const decisionRows: unknown[][] = [];
  const adjustmentRows: unknown[][] = [];
  const onHand = new Map<string, { account: string; sku: string; delta: number }>();
  for (const [i, { plan, planned }] of decided.entries()) {
    const { event, evaluation } = plan.applied;
    const { decision, orderId, restoredNow } = planned;
    const adapter = evaluation?.ok ? evaluation : undefined;
    decisionRows.push([
      decisionIds[i],
      event.id,
      event.integrationId,
      event.marketplace,
      event.account,
      orderId,
      decision.lineId,
      decision.sku,
      decision.quantity,
      restoredNow,
      decision.restore ? 1 : 0,
      decision.mode,
      decision.outcome,
      decision.rule,
      decision.reasonCode,
      decision.reasonLabel,
      decision.reasonOrigin,
      decision.reasonDerived ? 1 : 0,
      adapter?.adapterId,
      adapter?.adapterVersion,
      now,
    ]);
    if (restoredNow === 0) continue;
    adjustmentRows.push([
      adjustmentIds[adjustmentRows.length],
      event.account,
      decision.sku,
      restoredNow,
      event.integrationId,
      event.marketplace,
      orderId,
      decision.lineId,
      event.id,
      decisionIds[i],
      now,
    ]);
    const key = `${event.account}\u0000${decision.sku}`;
    const total = onHand.get(key) ?? { account: event.account, sku: decision.sku, delta: 0 };
    total.delta += restoredNow;
    onHand.set(key, total);
  }
  await insertMany(client, "decisions", decisionColumns, decisionRows);
  await insertMany(client, "adjustments", adjustmentColumns, adjustmentRows);
  if (options.outbox) {
    await insertMany(
      client,
      "outbox",
      outboxColumns,
      adjustmentRows.map((row) => [row[0], now]),
    );
  }

  const lines = new Map<string, PlannedLine>();
  for (const plan of plans) for (const [key, line] of plan.lines) lines.set(key, line);
  await insertMany(
    client,
    "line_progress",
    lineColumns,
    [...lines.values()].map((line) => [line.integrationId, line.orderId, line.lineId, line.processed, now]),
    "ON CONFLICT (integration_id, order_id, line_id) DO UPDATE SET processed_quantity = excluded.processed_quantity, updated_at = excluded.updated_at",
  );
  // One row per SKU, in one global order: two batches adding to the same SKUs cannot deadlock.
  const totals = [...onHand.values()].sort((a, b) => compare(a.account, b.account) || compare(a.sku, b.sku));
  await insertMany(
    client,
    "inventory",
    inventoryColumns,
    totals.map((t) => [t.account, t.sku, t.delta, now]),
    "ON CONFLICT (account, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = excluded.updated_at",
  );
  await insertMany(
    client,
    "ignored_events",
    ignoredColumns,
    plans.flatMap((plan) =>
      plan.ignored.map((ignored) => [
        plan.item.event.id,
        plan.item.event.integrationId,
        ignored.kind,
        ignored.reason,
        ignored.orderId ?? null,
        ignored.detail ?? null,
        now,
      ]),
    ),
  );
  await updateInboxRows(client, plans, now);
  await insertMany(
    client,
    "dead_letters",
    deadLetterColumns,
    plans.flatMap(({ item: { event }, outcome }) =>
      outcome.status === "dead"
        ? [["failed", event.integrationId, event.id, event.source, event.contentType, storableText(outcome.error), outcome.attempts, now]]
        : [],
    ),
  );
}

async function updateInboxRows(client: pg.ClientBase, plans: readonly EventPlan[], now: number): Promise<void> {
  if (plans.length === 0) return;
  const columns: unknown[][] = [[], [], [], [], [], []];
  for (const { item, outcome } of plans) {
    const values = [
      item.event.id,
      outcome.status === "retry" ? "pending" : outcome.status,
      outcome.status === "duplicate" ? outcome.of : null,
      outcome.status === "retry" || outcome.status === "dead" ? outcome.attempts : null,
      outcome.status === "retry" ? outcome.nextAttemptAt : null,
      outcome.status === "retry" || outcome.status === "dead" ? storableText(outcome.error) : null,
    ];
    for (const [i, value] of values.entries()) columns[i]!.push(value);
  }
  await client.query(updateInbox, [now, ...columns]);
}

/** Code-unit order, the same in every worker whatever the database's collation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
