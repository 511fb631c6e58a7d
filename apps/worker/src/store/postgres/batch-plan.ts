import type { IgnoredEvent, LineDecision } from "@restock/core";
import { advanceLine, mergeReasonUnits, needsReasonUnits, type ReasonUnits, reasonUnitsOf } from "../../ledger/advance-line.js";
import { OrderHolds } from "../order-holds.js";
import type { AppliedEvent, BatchOptions, ClaimedEvent, EventEvaluation } from "../types.js";

/** A claimed event, ready to plan: its evaluation, or the earlier applied event with the same body. */
export interface BatchItem {
  event: ClaimedEvent;
  bodyHash: string;
  /** Every (integration, order) the event holds in arrival order (../order-holds.ts). */
  holdKeys: string[];
  /** Whether it names several orders (inbox_orders rows, dropped once it is applied). */
  namesSeveralOrders: boolean;
  /** An applied event with the same body and a lower id, found in the database: this one is a duplicate. */
  appliedBefore: number | undefined;
  /** Undefined only when `appliedBefore` is set (a duplicate is not evaluated). */
  evaluation: EventEvaluation | undefined;
}

export interface PlannedLine {
  integrationId: string;
  orderId: string;
  lineId: string;
  processed: number;
}

export interface PlannedDecision {
  orderId: string;
  decision: LineDecision;
  restoredNow: number;
}

/** What the inbox row becomes. `retry` keeps it pending. */
export type InboxOutcome =
  | { status: "done" }
  | { status: "duplicate"; of: number }
  | { status: "retry"; attempts: number; nextAttemptAt: number; error: string }
  | { status: "dead"; attempts: number; error: string };

/** Everything one event writes; `writePlans` turns plans into rows. */
export interface EventPlan {
  item: BatchItem;
  applied: AppliedEvent;
  outcome: InboxOutcome;
  decisions: PlannedDecision[];
  /** New processed quantities, by line key. */
  lines: Map<string, PlannedLine>;
  /** Each line's units by reason over its decisions after this event (mergeReasonUnits), for the lines `BatchState.reasons` follows. */
  reasons: Map<string, ReasonUnits>;
  ignored: readonly IgnoredEvent[];
}

/** What earlier events of the batch left for later ones. */
export interface BatchState {
  /** Processed quantity by line key: read under the batch's order locks, then advanced event by event. */
  progress: Map<string, number>;
  /**
   * A line's units by reason over its decisions (mergeReasonUnits), only for lines some event of the batch cancelled
   * under several reasons (advanceLine): read with the progress, then advanced event by event like it.
   */
  reasons: Map<string, ReasonUnits>;
  appliedBodies: Map<string, number>;
  /** Orders held by events of this batch that failed, or wait for one that did. */
  failed: OrderHolds;
}

export function lineKey(integrationId: string, orderId: string, lineId: string): string {
  return `${integrationId}\u0000${orderId}\u0000${lineId}`;
}

/** What the batch read under its order locks. */
export interface LineLedger {
  progress: ReadonlyMap<string, number>;
  reasons: ReadonlyMap<string, ReasonUnits>;
}

export function newBatchState(ledger: LineLedger): BatchState {
  return { progress: new Map(ledger.progress), reasons: new Map(ledger.reasons), appliedBodies: new Map(), failed: new OrderHolds() };
}

/**
 * The SQLite store's per-event rules, as data: an event whose order failed earlier in the batch
 * stays pending (undefined); a body already applied is a duplicate; a failed evaluation is
 * retried or dead-lettered; otherwise each line advances by the cumulative rule.
 */
export function planEvent(state: BatchState, item: BatchItem, options: BatchOptions): EventPlan | undefined {
  const { event } = item;
  if (state.failed.heldBefore(event.id, item.holdKeys)) {
    state.failed.hold(event.id, item.holdKeys);
    return undefined;
  }
  const duplicateOf = state.appliedBodies.get(bodyKey(item)) ?? item.appliedBefore;
  if (duplicateOf !== undefined) {
    return {
      item,
      applied: { event, status: "duplicate", duplicateOf, unitsRestored: 0 },
      outcome: { status: "duplicate", of: duplicateOf },
      decisions: [],
      lines: new Map(),
      reasons: new Map(),
      ignored: [],
    };
  }
  const evaluation = item.evaluation!;
  if (!evaluation.ok) return failurePlan(item, evaluation.error, options);
  const lines = new Map<string, PlannedLine>();
  const reasons = new Map<string, ReasonUnits>();
  const decisions: PlannedDecision[] = [];
  let units = 0;
  for (const order of evaluation.orders) {
    for (const decision of order.decisions) {
      const line = lineKey(event.integrationId, order.orderId, decision.lineId);
      const processed = lines.get(line)?.processed ?? state.progress.get(line) ?? 0;
      const before = reasons.get(line) ?? state.reasons.get(line);
      if (before === undefined && needsReasonUnits(decision)) throw new Error(`line ${decision.lineId}: its units by reason were not read`);
      const step = advanceLine(processed, decision, before);
      if (step.processed !== processed) {
        lines.set(line, { integrationId: event.integrationId, orderId: order.orderId, lineId: decision.lineId, processed: step.processed });
      }
      // The next decision on the line reads this one's units too, as the SQLite store reads them all.
      if (before !== undefined) reasons.set(line, mergeReasonUnits(before, reasonUnitsOf(decision)));
      decisions.push({ orderId: order.orderId, decision, restoredNow: step.restoredNow });
      units += step.restoredNow;
    }
  }
  return {
    item,
    applied: { event, status: "done", evaluation, unitsRestored: units },
    outcome: { status: "done" },
    decisions,
    lines,
    reasons,
    ignored: evaluation.ignored,
  };
}

/** The event failed (evaluation or its writes): retry with backoff, or dead-letter after `maxAttempts`. */
export function failurePlan(item: BatchItem, error: string, options: BatchOptions): EventPlan {
  const { event } = item;
  const attempts = event.attempts + 1;
  const dead = attempts >= options.maxAttempts;
  const evaluation: EventEvaluation = item.evaluation?.ok === false ? item.evaluation : { ok: false, error };
  return {
    item,
    applied: { event, status: dead ? "dead" : "retry", evaluation, unitsRestored: 0 },
    outcome: dead
      ? { status: "dead", attempts, error }
      : { status: "retry", attempts, nextAttemptAt: options.now + options.retryDelayMs(attempts), error },
    decisions: [],
    lines: new Map(),
    reasons: new Map(),
    ignored: [],
  };
}

/** Later events of the batch see this one's effects. */
export function commitPlan(state: BatchState, plan: EventPlan): void {
  for (const [key, line] of plan.lines) state.progress.set(key, line.processed);
  for (const [key, units] of plan.reasons) state.reasons.set(key, units);
  if (plan.outcome.status === "done") state.appliedBodies.set(bodyKey(plan.item), plan.item.event.id);
  // Keep arrival order: a later event of an order whose earlier event just failed waits for it.
  if (plan.outcome.status === "retry" || plan.outcome.status === "dead") state.failed.hold(plan.item.event.id, plan.item.holdKeys);
}

function bodyKey(item: BatchItem): string {
  return `${item.event.integrationId}\u0000${item.bodyHash}`;
}
