import type { Database } from "better-sqlite3";
import {
  advanceLine,
  mergeReasonUnits,
  NO_REASON_UNITS,
  needsReasonUnits,
  type ReasonUnits,
  reasonUnitsOfRow,
} from "../../ledger/advance-line.js";
import { needsBody, withBody } from "../claimed-body.js";
import { decisionRowValues } from "../decision-row.js";
import { missingIntegration, unknownIntegration } from "../missing-integration.js";
import { holdKeys, OrderHolds, ordersByEvent } from "../order-holds.js";
import {
  type AppliedEvent,
  type BatchOptions,
  type BatchReport,
  type ClaimedEvent,
  type EvaluateEvent,
  type EventEvaluation,
  latestRetryAt,
  MAX_BATCH_LINES,
} from "../types.js";

/**
 * A claimed inbox row as better-sqlite3 returns it in raw mode (an array in the claim's column
 * order): building a 12-key object per row cost half the claim, which was a fifth of a drain
 * (bench/results: processing-sqlite).
 */
type ClaimRow = [
  id: number,
  integrationId: string,
  source: ClaimedEvent["source"],
  format: ClaimedEvent["format"],
  contentType: string | null,
  /** Only read with the claim when there is no stored parse (see ../claimed-body.ts). */
  body: Buffer | null,
  parsed: string | null,
  bodyHash: string,
  orderKey: string | null,
  receivedAt: number,
  attempts: number,
  /** The first event with the same body applied before this batch: this one is a duplicate. */
  appliedBefore: number | null,
];

/** An integration's settings as the batch's transaction reads them (its current mode). */
type IntegrationSettings = Pick<ClaimedEvent, "marketplace" | "account" | "mode">;

/**
 * The SQLite "claim a batch / apply a batch" transaction. SQLite has one writer, so BEGIN IMMEDIATE
 * is the claim: no other connection or process can apply the same events until this commits, and
 * a crash before the commit leaves every event pending.
 */
export function createBatchProcessor(db: Database) {
  // Due events in arrival order: a fresh event (attempts = 0) on arrival, a retry when its time
  // comes. An event waits while an earlier event of its (integration, order) is pending a retry
  // (inbox_retrying holds only those). applied_before: the first event with the same body applied
  // before this batch (inbox_body's 12-hex-digit prefix, then the whole hash and the integration).
  // The integration's settings are read once per batch (settingsOf), not joined into every row.
  const claim = db
    .prepare<{ now: number; latest: number; limit: number; after: number }, ClaimRow>(`
    SELECT e.id, e.integration_id, e.source, e.format, e.content_type,
           CASE WHEN p.parsed IS NULL THEN p.body END AS body, p.parsed, e.body_hash,
           e.order_key, e.received_at, e.attempts,
           (SELECT d.id FROM inbox d
            WHERE substr(d.body_hash, 1, 12) = substr(e.body_hash, 1, 12) AND d.body_hash = e.body_hash
              AND d.integration_id = e.integration_id AND d.status = 'done' AND d.id < e.id
            ORDER BY d.id LIMIT 1) AS applied_before
    FROM inbox e JOIN inbox_payloads p ON p.event_id = e.id
    WHERE e.status = 'pending' AND (e.attempts = 0 OR e.next_attempt_at <= @now OR e.next_attempt_at > @latest) AND e.id > @after
      AND NOT EXISTS (
        SELECT 1 FROM inbox r
        WHERE r.status = 'pending' AND r.attempts > 0 AND r.integration_id = e.integration_id AND r.order_key = e.order_key
          AND r.id < e.id AND r.next_attempt_at > @now AND r.next_attempt_at <= @latest)
    ORDER BY e.id
    LIMIT @limit`)
    .raw(true);
  const selectSettings = db.prepare<[string], IntegrationSettings>("SELECT marketplace, account, mode FROM integrations WHERE id = ?");
  // An event's decisions are written one after another, so they are one range of ids: the inbox row
  // records it (migration 3), which finds them without an index on decisions.event_id.
  const markDone = db.prepare(
    "UPDATE inbox SET status = 'done', processed_at = ?, last_error = NULL, decisions_from = ?, decisions_to = ? WHERE id = ?",
  );
  const markDuplicate = db.prepare("UPDATE inbox SET status = 'duplicate', duplicate_of = ?, processed_at = ? WHERE id = ?");
  const markRetry = db.prepare("UPDATE inbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");
  const markDead = db.prepare("UPDATE inbox SET status = 'dead', attempts = ?, last_error = ?, processed_at = ? WHERE id = ?");
  const insertDeadLetter = db.prepare(
    `INSERT INTO dead_letters (kind, integration_id, event_id, source, content_type, body, error, field, attempts, created_at)
     VALUES ('failed', ?, ?, ?, ?, NULL, ?, NULL, ?, ?)`,
  );
  // A line's processed quantity: the largest it has recorded (migration 3), from the covering index.
  const getProcessed = db.prepare<[string, string, string], { processed: number | null }>(
    "SELECT MAX(quantity) AS processed FROM decisions WHERE order_id = ? AND integration_id = ? AND line_id = ?",
  );
  // Only for a line cancelled under several reasons (advanceLine): its decisions' reasons, by the
  // decisions_line index (order, integration, line, quantity). A line has a few, one per change.
  const getLineReasons = db.prepare<
    [string, string, string],
    { reason_code: string | null; quantity: number; reason_parts: string | null }
  >("SELECT reason_code, quantity, reason_parts FROM decisions WHERE order_id = ? AND integration_id = ? AND line_id = ?");
  const reasonUnitsBefore = (orderId: string, integrationId: string, lineId: string): ReasonUnits => {
    let units = NO_REASON_UNITS;
    for (const row of getLineReasons.iterate(orderId, integrationId, lineId)) {
      units = mergeReasonUnits(units, reasonUnitsOfRow(row.reason_code, row.quantity, row.reason_parts));
    }
    return units;
  };
  const insertDecision = db.prepare(
    `INSERT INTO decisions (event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode,
       outcome, rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, reason_parts,
       decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addOnHand = db.prepare(
    `INSERT INTO inventory (account, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (account, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = excluded.updated_at`,
  );
  // key_with_time: this process sends the key with the decision time (sinks/idempotency-key.ts).
  const insertOutbox = db.prepare("INSERT INTO outbox (adjustment_id, next_attempt_at, key_with_time) VALUES (?, ?, 1)");
  // Read inside the batch's transaction: a batch that starts after 'restock sink disable' commits
  // writes no outbox rows, and one that starts after a sink's start writes them all.
  const hostSinkEnabled = db.prepare<[], { enabled: number }>("SELECT enabled FROM host_sink");
  const insertIgnored = db.prepare(
    "INSERT INTO ignored_events (event_id, integration_id, kind, reason, order_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );

  const selectBody = db.prepare<[number], { body: Buffer }>("SELECT body FROM inbox_payloads WHERE event_id = ?");

  // Holds beyond the claim's own (../order-holds.ts), for the ids a claim page spans: the orders of
  // pending events naming several (inbox_orders; rows of dead events stay for a requeue, so the scan
  // starts at the lowest pending id), and the events waiting for a retry that the claim left out.
  const pendingOrders = db
    .prepare<{ after: number; last: number }, [eventId: number, integrationId: string, orderKey: string]>(
      `SELECT o.event_id, o.integration_id, o.order_key FROM inbox_orders o JOIN inbox e ON e.id = o.event_id
       WHERE e.status = 'pending' AND o.event_id > @after AND o.event_id <= @last
         AND o.event_id >= (SELECT MIN(id) FROM inbox WHERE status = 'pending')`,
    )
    .raw(true);
  const retryingLater = db
    .prepare<{ now: number; latest: number; after: number; last: number }, [id: number, integrationId: string, orderKey: string | null]>(
      `SELECT id, integration_id, order_key FROM inbox
       WHERE status = 'pending' AND attempts > 0 AND next_attempt_at > @now AND next_attempt_at <= @latest AND id > @after AND id < @last`,
    )
    .raw(true);
  const deleteOrders = db.prepare("DELETE FROM inbox_orders WHERE event_id = ?");

  /**
   * Claims up to `limit` events free to apply, in id order, with the orders of those naming several.
   * The claim's statement leaves out events whose first order waits for a retry; an event held through
   * another order it names, or through an event that waits (../order-holds.ts), is passed over here,
   * and the claim goes on past it, so held events never fill a batch while others could apply (up to
   * CLAIM_PAGES pages of claims per batch).
   */
  function claimFree(now: number, latest: number, limit: number): { rows: ClaimRow[]; ordersOf: Map<number, string[]> } {
    const free: ClaimRow[] = [];
    const ordersOf = new Map<number, string[]>();
    const held = new OrderHolds();
    let after = 0;
    for (let page = 0; page < CLAIM_PAGES && free.length < limit; page++) {
      const rows = claim.all({ now, latest, limit: limit - free.length, after });
      if (rows.length === 0) break;
      const last = rows.at(-1)![0];
      const claimed = new Set(rows.map((row) => row[0]));
      const several = ordersByEvent(pendingOrders.all({ after, last }));
      for (const [id, integrationId, orderKey] of retryingLater.all({ now, latest, after, last })) {
        held.hold(id, holdKeys(integrationId, orderKey, several.get(id)?.orders));
      }
      for (const [id, { integrationId, orders }] of several) {
        if (claimed.has(id)) ordersOf.set(id, orders);
        else held.hold(id, holdKeys(integrationId, null, orders));
      }
      for (const row of rows) {
        const [id, integrationId, , , , , , , order] = row;
        const keys = holdKeys(integrationId, order, ordersOf.get(id));
        if (held.heldBefore(id, keys)) held.hold(id, keys);
        else free.push(row);
      }
      after = last;
    }
    return { rows: free, ordersOf };
  }

  function toClaimed(row: ClaimRow, settings: IntegrationSettings, evaluate: EvaluateEvent): ClaimedEvent {
    const [id, integrationId, source, format, contentType, claimedBody, parsed, , , receivedAt, attempts] = row;
    const { marketplace, account, mode } = settings;
    const event = { id, integrationId, marketplace, account, mode, source, format, contentType, parsed, receivedAt, attempts };
    const body = claimedBody ?? (needsBody(evaluate, event) ? selectBody.get(id)!.body : null);
    return withBody(event, body);
  }

  /**
   * Writes one evaluated event's decisions and ignored events and marks it done; returns what it
   * restored. On-hand is added once per (account, SKU) at the end of the batch (addRestored), from
   * the events whose writes succeeded.
   */
  function applyEvaluation(
    event: ClaimedEvent,
    evaluation: Extract<EventEvaluation, { ok: true }>,
    options: WriteOptions,
    namesSeveralOrders: boolean,
  ): Restored {
    const { now } = options;
    const restored: Restored = { units: 0, adjustments: 0, bySku: [] };
    let first: number | bigint | null = null;
    let last: number | bigint | null = null;
    for (const order of evaluation.orders) {
      for (const decision of order.decisions) {
        // The decision row written below is what advances the line (see getProcessed).
        const processed = getProcessed.get(order.orderId, event.integrationId, decision.lineId)!.processed ?? 0;
        const before = needsReasonUnits(decision)
          ? reasonUnitsBefore(order.orderId, event.integrationId, decision.lineId)
          : NO_REASON_UNITS;
        const step = advanceLine(processed, decision, before);
        const decisionId = insertDecision.run(
          ...decisionRowValues(event, order.orderId, decision, step.restoredNow, evaluation),
          now,
        ).lastInsertRowid;
        first ??= decisionId;
        last = decisionId;
        if (step.restoredNow === 0) continue;
        // The adjustment is this decision (the adjustments view): the outbox row takes its id.
        if (options.outbox) insertOutbox.run(decisionId, now);
        restored.units += step.restoredNow;
        restored.adjustments += 1;
        restored.bySku.push([decision.sku, step.restoredNow]);
      }
    }
    for (const ignored of evaluation.ignored) {
      insertIgnored.run(event.id, event.integrationId, ignored.kind, ignored.reason, ignored.orderId ?? null, ignored.detail ?? null, now);
    }
    markDone.run(now, first, last, event.id);
    // Applied: it holds none of its orders any more.
    if (namesSeveralOrders) deleteOrders.run(event.id);
    return restored;
  }

  /** Adds a batch's restored units to on-hand: one upsert per (account, SKU), not one per line. */
  function addRestored(totals: Map<string, [account: string, sku: string, units: number]>, now: number): void {
    for (const [account, sku, units] of totals.values()) addOnHand.run(account, sku, units, now);
  }

  // Careful mode: a savepoint per event, so that a database error in one event's writes fails that
  // event, not the batch. Savepoints cost ~25 µs per line (sub-journal copies of every page an event
  // touches), so a batch first runs without them and is rolled back and run carefully only when a
  // write fails (bench/results: processing-sqlite).
  const applyInSavepoint = db.transaction(applyEvaluation);

  function recordFailure(event: ClaimedEvent, error: string, options: BatchOptions): "retry" | "dead" {
    const attempts = event.attempts + 1;
    if (attempts >= options.maxAttempts) {
      markDead.run(attempts, error, options.now, event.id);
      insertDeadLetter.run(event.integrationId, event.id, event.source, event.contentType, error, attempts, options.now);
      return "dead";
    }
    markRetry.run(attempts, options.now + options.retryDelayMs(attempts), error, event.id);
    return "retry";
  }

  function apply(
    event: ClaimedEvent,
    evaluation: Extract<EventEvaluation, { ok: true }>,
    options: WriteOptions,
    careful: boolean,
    namesSeveralOrders: boolean,
  ): Restored | string {
    if (!careful) {
      try {
        return applyEvaluation(event, evaluation, options, namesSeveralOrders);
      } catch (error) {
        throw new WriteFailed(error);
      }
    }
    try {
      return applyInSavepoint(event, evaluation, options, namesSeveralOrders);
    } catch (error) {
      // Some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) roll back the whole transaction, not
      // only this event's savepoint. Going on would write the rest of the batch outside any
      // transaction, each statement committing on its own, while the units of the events before
      // this one, rolled back, were still added to on-hand: restored twice when they ran again, or
      // lost. Thrown instead: nothing of the batch is kept, and it runs again later.
      if (!db.inTransaction) throw error;
      return `writing the decisions failed: ${(error as Error).message}`;
    }
  }

  function processClaimed(batchOptions: BatchOptions, evaluate: EvaluateEvent, careful: boolean): BatchReport {
    const options: WriteOptions = { ...batchOptions, outbox: hostSinkEnabled.get()?.enabled === 1 };
    const { rows, ordersOf } = claimFree(options.now, latestRetryAt(options), Math.min(options.limit, claimCap));
    const report: BatchReport = { claimed: rows.length, events: [], adjustments: 0 };
    const settings = new Map<string, IntegrationSettings>();
    const settingsOf = (integrationId: string): IntegrationSettings | undefined => {
      let found = settings.get(integrationId);
      if (found === undefined) {
        found = selectSettings.get(integrationId);
        if (found) settings.set(integrationId, found);
      }
      return found;
    };
    // Orders held by events of this batch that failed, or wait for one that did.
    const failed = new OrderHolds();
    const appliedBodies = new Map<string, number>();
    const onHand = new Map<string, [account: string, sku: string, units: number]>();
    const maxLines = options.maxLines ?? MAX_BATCH_LINES;
    let lines = 0;
    for (const [index, row] of rows.entries()) {
      // The work budget: stop between events (never inside one), so every event left pending comes
      // after every event applied, and arrival order holds.
      if (lines >= maxLines) {
        report.claimed = index;
        report.more = true;
        // The claim read every row it returned (their stored parses too) under the write lock: the
        // next claims read about as many as a budget takes, until a batch ends within its budget.
        claimCap = Math.max(1, Math.ceil(index * 1.25));
        break;
      }
      const [id, integrationId, , , , , , bodyHash, order, , , appliedBefore] = row;
      const orders = ordersOf.get(id);
      const keys = holdKeys(integrationId, order, orders);
      // Keep arrival order: a later event of an order whose earlier event just failed waits for it.
      if (failed.heldBefore(id, keys)) {
        failed.hold(id, keys);
        continue;
      }
      const integration = settingsOf(integrationId);
      const event = toClaimed(row, integration ?? unknownIntegration, evaluate);
      const bodyKey = `${integrationId}\u0000${bodyHash}`;
      // Applied earlier in this batch, or before it (the claim's probe of inbox_body).
      const duplicateOf = appliedBodies.get(bodyKey) ?? appliedBefore ?? undefined;
      if (duplicateOf !== undefined) {
        markDuplicate.run(duplicateOf, options.now, id);
        if (orders) deleteOrders.run(id);
        report.events.push({ event, status: "duplicate", duplicateOf, unitsRestored: 0 });
        continue;
      }
      const evaluation: EventEvaluation = integration ? safeEvaluate(evaluate, event) : missingIntegration(integrationId);
      let applied: AppliedEvent;
      const written = evaluation.ok ? apply(event, evaluation, options, careful, orders !== undefined) : evaluation.error;
      if (evaluation.ok) for (const order of evaluation.orders) lines += order.decisions.length;
      if (typeof written !== "string") {
        report.adjustments += written.adjustments;
        for (const [sku, units] of written.bySku) {
          const key = `${event.account}\u0000${sku}`;
          const total = onHand.get(key);
          if (total) total[2] += units;
          else onHand.set(key, [event.account, sku, units]);
        }
        appliedBodies.set(bodyKey, id);
        applied = { event, status: "done", evaluation, unitsRestored: written.units };
      } else {
        failed.hold(id, keys);
        applied = { event, status: recordFailure(event, written, options), evaluation, unitsRestored: 0 };
      }
      report.events.push(applied);
    }
    if (!report.more) claimCap = Math.min(Number.MAX_SAFE_INTEGER, claimCap * 2);
    if (careful) addRestored(onHand, options.now);
    else {
      try {
        addRestored(onHand, options.now);
      } catch (error) {
        throw new WriteFailed(error);
      }
    }
    return report;
  }

  // How many events the next claim reads at most: lowered after a batch stopped at its work budget
  // (line-heavy events), doubled again after each batch that did not.
  let claimCap = Number.MAX_SAFE_INTEGER;

  const runFast = db.transaction((options: BatchOptions, evaluate: EvaluateEvent) => processClaimed(options, evaluate, false));
  const runCarefully = db.transaction((options: BatchOptions, evaluate: EvaluateEvent) => processClaimed(options, evaluate, true));

  return (options: BatchOptions, evaluate: EvaluateEvent): BatchReport => {
    try {
      return runFast.immediate(options, evaluate);
    } catch (error) {
      // The whole batch rolled back; evaluation is pure, so running it again decides the same.
      if (error instanceof WriteFailed) return runCarefully.immediate(options, evaluate);
      throw error;
    }
  };
}

/** A batch's options, and whether its adjustments are queued for the host sink (the host_sink row). */
interface WriteOptions extends BatchOptions {
  outbox: boolean;
}

/**
 * How many claim pages one batch reads at most, passing over held events (claimFree): behind more
 * held events than that, a batch finds nothing to apply (claimed 0) until the event they wait for
 * applies or is dead-lettered.
 */
const CLAIM_PAGES = 8;

/** What one event's writes restored: units, adjustments (restoring lines) and units per SKU. */
interface Restored {
  units: number;
  adjustments: number;
  bySku: [sku: string, units: number][];
}

/** A write failed in a batch run without savepoints: roll the batch back and run it carefully. */
class WriteFailed extends Error {
  constructor(cause: unknown) {
    super("a write failed; the batch runs again with a savepoint per event", { cause });
  }
}

function safeEvaluate(evaluate: EvaluateEvent, event: ClaimedEvent): EventEvaluation {
  try {
    return evaluate(event);
  } catch (error) {
    return { ok: false, error: `evaluation threw: ${(error as Error)?.message ?? String(error)}` };
  }
}
