import { accessSync, constants, existsSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { IntegrationConflict, type IntegrationWrite, isModeUnchanged, type Store } from "../store.js";
import { isStoreUnavailable } from "../store-unavailable.js";
import {
  CLAIMED_NO_ANSWER,
  CLOCK_AHEAD_MARGIN_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  type DeadLetterKind,
  type DecisionFilter,
  type IntakeReceipt,
  type IntakeWrite,
  LINE_TOTALS_STEP,
  latestDueAt,
  OLDEST_PENDING_SQL,
  OPEN_LETTER_SQL,
  OPEN_LETTERS_BY_KIND_SQL,
  openLetterCounts,
  type PruneOptions,
  type PruneStep,
  RETRYING,
} from "../types.js";
import { yieldToEventLoop } from "../yield-to-event-loop.js";
import { makeFolder } from "./make-folder.js";
import { migrate } from "./migrate.js";
import { createBatchProcessor } from "./process-batch.js";
import {
  type AdjustmentRow,
  adjustmentColumns,
  type DeadLetterRow,
  type DecisionRow,
  deadLetterColumns,
  decisionColumns,
  type EventRow,
  eventColumns,
  type HostSinkRow,
  hostSinkColumns,
  type IgnoredRow,
  type IntegrationRow,
  type InventoryRow,
  integrationColumns,
  type ModeChangeRow,
  modeChangeColumns,
  toAdjustment,
  toDeadLetter,
  toDecision,
  toEvent,
  toHostSink,
  toIgnored,
  toIntegration,
  toInventory,
  toModeChange,
  toUndelivered,
  type UndeliveredRow,
  undeliveredSql,
} from "./rows.js";

export interface SqliteStoreOptions {
  /** File path, or ":memory:" for throwaway stores. */
  path: string;
  readonly?: boolean;
  /** How long a write waits for another connection's write lock before SQLITE_BUSY (default 10 s; the worker's `writeTimeoutMs`). */
  busyTimeoutMs?: number;
}

/**
 * How long after a delivery's commit failed the ping says the database takes no writes, whatever a
 * probe of the lock finds: a full disk gives the lock and refuses the write. Then a load balancer
 * that took the instance out sends it traffic again, and the next failing commit takes it out again.
 */
const WRITES_FAILING_HOLD_MS = 10_000;
/** How long the readiness probe waits for the write lock (a ping answers within ~2 s). */
const WRITE_PROBE_WAIT_MS = 500;
/** The bodies one prune step frees, at most (and at least one): a step holds the write lock. */
export const PRUNE_STEP_BYTES = 8 * 1024 * 1024;

/**
 * The host sink's claim, leased until @until: undelivered rows due longest (then by adjustment id),
 * and then rows leased or retried by a clock that ran ahead (due after @latest). Each is a range of
 * outbox_due. Picking due rows in adjustment-id order walked every undelivered row while the host was
 * down and most waited for a retry: 22 ms a claim at 262,144 rows, inside the write lock, against
 * 0.02 ms now (bench/HISTORY.md, 2026-11-29).
 */
export const CLAIM_OUTBOX_SQL = `UPDATE outbox SET next_attempt_at = @until, last_error = COALESCE(last_error, '${CLAIMED_NO_ANSWER}')
     WHERE adjustment_id IN (
       SELECT adjustment_id FROM (
         SELECT adjustment_id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= @now
         ORDER BY next_attempt_at, adjustment_id LIMIT @limit)
       UNION ALL
       SELECT adjustment_id FROM (
         SELECT adjustment_id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at > @latest
         ORDER BY next_attempt_at, adjustment_id LIMIT @limit)
       LIMIT @limit)
     RETURNING adjustment_id, attempts, key_with_time`;

/**
 * Opens (creating when needed) the SQLite database: WAL journal, synchronous=FULL so a commit
 * is on disk when it returns, and the schema migrated to the latest version.
 */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ":memory:" && !options.readonly) {
    makeFolder(dirname(options.path));
    // SQLite opens a file it may not write read-only, without a word: a migrated database then
    // started, said it was ready, and answered 500 to every delivery. Refused here instead (EACCES,
    // with its syscall: open-store.ts names the path, exit 78).
    if (existsSync(options.path)) accessSync(options.path, constants.R_OK | constants.W_OK);
  }
  const db = new BetterSqlite3(options.path, { readonly: options.readonly ?? false });
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!options.readonly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      // Batches dirty many pages: keep them in memory until the commit instead of spilling
      // mid-transaction. 16 MiB holds a 2,000-event batch (~3.3 MiB of WAL pages in a drain); 64 MiB
      // gained at most ~10% in a drain and pushed a 1M-event replay's peak RSS past 256 MB
      // (bench/results, replay suite). A 256 MiB mmap_size measured no faster in a drain.
      db.pragma("cache_size = -16384");
      // Per-event savepoint journals went to temp files: ~765k pwrite calls per 20k events.
      db.pragma("temp_store = MEMORY");
      // Checkpoint every 32 MiB of WAL instead of every 4 MiB: a 500-event batch wrote ~2-4 MiB of
      // pages, so the default copied pages back into the database file after almost every batch
      // (commit time 10 -> 6 ms per batch in a drain profile). Readers and crash recovery are unaffected.
      db.pragma("wal_autocheckpoint = 8192");
      migrate(db);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return createSqliteStore(db, busyTimeoutMs);
}

function createSqliteStore(db: Database, busyTimeoutMs: number): Store {
  const selectIntegrations = db.prepare<[], IntegrationRow>(`SELECT ${integrationColumns} FROM integrations ORDER BY id`);
  const selectIntegration = db.prepare<[string], IntegrationRow>(`SELECT ${integrationColumns} FROM integrations WHERE id = ?`);
  // decisions_line (order, integration, line, quantity) holds the answer; the id is the row's rowid.
  const selectLineTotalBefore = db.prepare<[string, string, string, number], { total: number | null }>(
    "SELECT MAX(quantity) AS total FROM decisions WHERE order_id = ? AND integration_id = ? AND line_id = ? AND id < ?",
  );
  const insertIntegration = db.prepare(
    `INSERT INTO integrations (${integrationColumns})
     VALUES (@id, @marketplace, @account, @mode, @modeSetBy, @webhookSecret, @createdAt, @updatedAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  const updateIntegration = db.prepare(
    `UPDATE integrations SET account = @account, mode = @mode, mode_set_by = @modeSetBy, webhook_secret = @webhookSecret,
       updated_at = @updatedAt
     WHERE id = @id AND updated_at = @readAt`,
  );
  const insertModeChange = db.prepare(
    "INSERT INTO mode_changes (integration_id, at, from_mode, to_mode, set_by, via) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const selectModeChanges = db.prepare<[string, number], ModeChangeRow>(
    `SELECT ${modeChangeColumns} FROM mode_changes WHERE integration_id = ? ORDER BY id DESC LIMIT ?`,
  );
  const writeIntegrations = db.transaction((writes: readonly IntegrationWrite[]) => {
    const changeIds: (number | null)[] = [];
    for (const { integration, readAt, previous, via } of writes) {
      const written = readAt === null ? insertIntegration.run(integration) : updateIntegration.run({ ...integration, readAt });
      // A rolled-back transaction: none of the writes is kept.
      if (written.changes === 0) throw new IntegrationConflict(integration.id);
      changeIds.push(
        isModeUnchanged(integration, previous)
          ? null
          : Number(
              insertModeChange.run(
                integration.id,
                integration.updatedAt,
                previous?.mode ?? null,
                integration.mode,
                integration.modeSetBy,
                via,
              ).lastInsertRowid,
            ),
      );
    }
    return changeIds;
  });
  const insertEvent = db.prepare(
    `INSERT INTO inbox (integration_id, source, format, content_type, body_hash, order_key, received_at, next_attempt_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertPayload = db.prepare("INSERT INTO inbox_payloads (event_id, body, parsed) VALUES (?, ?, ?)");
  const insertOrder = db.prepare("INSERT OR IGNORE INTO inbox_orders (event_id, integration_id, order_key) VALUES (?, ?, ?)");
  const insertRejection = db.prepare(
    `INSERT INTO dead_letters (kind, integration_id, event_id, source, content_type, body, error, field, attempts, created_at)
     VALUES ('rejected', ?, NULL, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const countPending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'");
  const oldestPending = db.prepare<[], { received_at: number }>(OLDEST_PENDING_SQL);
  const countOpenLetters = db.prepare<[], { kind: DeadLetterKind; n: number }>(OPEN_LETTERS_BY_KIND_SQL);
  const selectEvent = db.prepare<[number], EventRow>(`SELECT ${eventColumns} FROM inbox WHERE id = ?`);
  // The ids as one JSON array: one statement for any number of them, no variable limit to split at.
  const countUndecided = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM inbox WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('pending', 'dead')",
  );
  const selectEventOrders = db
    .prepare<[number], [orderKey: string]>(
      "SELECT o.order_key FROM inbox_orders o JOIN inbox e ON e.id = o.event_id WHERE o.event_id = ? AND o.order_key IS NOT e.order_key ORDER BY o.order_key",
    )
    .raw(true);
  const selectIgnored = db.prepare<[number], IgnoredRow>(
    "SELECT event_id, integration_id, kind, reason, order_id, detail FROM ignored_events WHERE event_id = ? ORDER BY id",
  );
  const selectDeadLetter = db.prepare<[number], DeadLetterRow>(`SELECT ${deadLetterColumns} FROM dead_letters WHERE id = ?`);
  const selectEventBody = db.prepare<[number], { body: Buffer }>("SELECT body FROM inbox_payloads WHERE event_id = ?");
  // length() of a BLOB reads its size from the record header, not its pages.
  const selectEventBodyBytes = db.prepare<[number], number>("SELECT length(body) FROM inbox_payloads WHERE event_id = ?").pluck();
  const selectDeadLetterBody = db.prepare<[number], { body: Buffer | null }>(
    "SELECT COALESCE(d.body, p.body) AS body FROM dead_letters d LEFT JOIN inbox_payloads p ON p.event_id = d.event_id WHERE d.id = ?",
  );
  // restock prune's window: the next bodies by event id. Walking inbox_payloads (not the inbox)
  // skips the bodies earlier runs dropped; a window of `limit` rows bounds what one step reads and
  // deletes under the write lock, however many recent bodies are kept.
  const payloadWindow = db
    .prepare<
      { before: number; after: number; limit: number },
      [eventId: number, decided: 0 | 1, lettered: 0 | 1, receivedAt: number, bytes: number]
    >(
      `SELECT p.event_id,
              e.status IN ('done', 'duplicate') AND e.processed_at < @before,
              EXISTS (SELECT 1 FROM dead_letters d WHERE d.event_id = p.event_id),
              e.received_at,
              length(p.body)
       FROM inbox_payloads p JOIN inbox e ON e.id = p.event_id
       WHERE p.event_id > @after ORDER BY p.event_id LIMIT @limit`,
    )
    .raw(true);
  const deletePayload = db.prepare("DELETE FROM inbox_payloads WHERE event_id = ?");
  const selectPruneResumePoint = db.prepare<[], { resume_after: number }>("SELECT resume_after FROM prune_progress");
  const advancePruneResumePoint = db.prepare<[number]>("UPDATE prune_progress SET resume_after = max(resume_after, ?)");
  const pruneStep = db.transaction(({ decidedBefore, afterId, limit }: PruneOptions): PruneStep => {
    const window = payloadWindow.all({ before: decidedBefore, after: afterId, limit });
    let pruned = 0;
    let firstWaitingId: number | null = null;
    let bytes = 0;
    // A dead letter's event keeps its body for good; any other kept body may go in a later run.
    for (const [eventId, decided, lettered, , size] of window) {
      if (lettered) continue;
      if (!decided) {
        firstWaitingId ??= eventId;
        continue;
      }
      pruned += deletePayload.run(eventId).changes;
      bytes += size;
      // Freeing a body reads its overflow pages under the write lock: 1,000 bodies of 500 KB held
      // it ~0.5 s, and every webhook's commit waited. The next step goes on from here.
      if (bytes >= PRUNE_STEP_BYTES) return { pruned, nextAfterId: eventId, firstWaitingId };
    }
    const last = window.at(-1);
    const more = last !== undefined && window.length === limit && last[3] < decidedBefore;
    return { pruned, nextAfterId: more ? last[0] : null, firstWaitingId };
  });
  const requeueEvent = db.prepare(
    "UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, processed_at = NULL WHERE id = ? AND status = 'dead'",
  );
  const markRetried = db.prepare("UPDATE dead_letters SET retried_at = ?, retry_result = ? WHERE id = ?");
  const claimRetry = db.prepare(
    `UPDATE dead_letters SET retried_at = @now, retry_result = @retrying
     WHERE id = @id AND kind = 'rejected' AND (retried_at IS NULL OR (retry_result = @retrying AND retried_at < @staleBefore))`,
  );
  const finishRetry = db.prepare(
    "UPDATE dead_letters SET retry_result = @result WHERE id = @id AND retry_result = @retrying AND retried_at = @claimedAt",
  );
  const releaseRetry = db.prepare(
    "UPDATE dead_letters SET retried_at = NULL, retry_result = NULL WHERE id = @id AND retry_result = @retrying AND retried_at = @claimedAt",
  );
  const claimOutbox = db.prepare<
    { now: number; latest: number; limit: number; until: number },
    { adjustment_id: number; attempts: number; key_with_time: number }
  >(CLAIM_OUTBOX_SQL);
  const selectAdjustment = db.prepare<[number], AdjustmentRow>(`SELECT ${adjustmentColumns} FROM adjustments WHERE id = ?`);
  const outboxDelivered = db.prepare(
    "UPDATE outbox SET delivered_at = ?, last_error = NULL, skipped_reason = NULL WHERE adjustment_id = ?",
  );
  const outboxSkipped = db.prepare<[number, string, number]>(
    "UPDATE outbox SET delivered_at = ?, skipped_reason = ? WHERE adjustment_id = ? AND delivered_at IS NULL",
  );
  const skip = db.transaction((ids: readonly number[], now: number, reason: string) =>
    ids.filter((id) => outboxSkipped.run(now, reason, id).changes > 0),
  );
  // Only while this claim's lease holds the row (next_attempt_at is still the lease's end it set).
  const outboxFailed = db.prepare(
    `UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next
     WHERE adjustment_id = @id AND next_attempt_at = @leasedUntil AND delivered_at IS NULL`,
  );
  const countOutbox = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL");
  // Decision ids follow decision time: the earliest undelivered id is the adjustment waiting longest.
  const oldestUndelivered = db.prepare<[], { decided_at: number }>(
    "SELECT decided_at FROM decisions WHERE id = (SELECT MIN(adjustment_id) FROM outbox WHERE delivered_at IS NULL)",
  );
  const selectUndelivered = db.prepare<[number, number], UndeliveredRow>(undeliveredSql("?", "?"));
  const selectHostSink = db.prepare<[], HostSinkRow>(`SELECT ${hostSinkColumns} FROM host_sink`);
  const updateHostSink = db.prepare("UPDATE host_sink SET enabled = ?, changed_at = ?, changed_by = ? WHERE enabled <> ?");
  const turnHostSink = db.transaction((enabled: boolean, now: number, changedBy: string, keepOffIfTurnedBy?: string) => {
    const before = toHostSink(selectHostSink.get()!);
    if (!before.enabled && keepOffIfTurnedBy !== undefined && before.changedBy === keepOffIfTurnedBy) return before;
    updateHostSink.run(enabled ? 1 : 0, now, changedBy, enabled ? 1 : 0);
    return before;
  });
  const deleteExpiredRevocations = db.prepare<[number]>("DELETE FROM revoked_sessions WHERE expires_at <= ?");
  const insertRevocation = db.prepare<[string, number, number]>(
    "INSERT INTO revoked_sessions (id, expires_at, revoked_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
  );
  const revoke = db.transaction((id: string, expiresAt: number, now: number) => {
    deleteExpiredRevocations.run(now - CLOCK_AHEAD_MARGIN_MS);
    insertRevocation.run(id, expiresAt, now);
  });
  const selectRevocation = db.prepare<[string], number>("SELECT 1 FROM revoked_sessions WHERE id = ?").pluck();
  const processBatch = createBatchProcessor(db);

  const appendIntake = db.transaction((write: IntakeWrite): IntakeReceipt => {
    const eventIds = write.events.map((e) => {
      const id = insertEvent.run(e.integrationId, e.source, e.format, e.contentType, e.bodyHash, e.orderKey, e.receivedAt, e.receivedAt)
        .lastInsertRowid as number;
      insertPayload.run(id, e.body, e.parsed ?? null);
      for (const order of e.orderKeys ?? []) insertOrder.run(id, e.integrationId, order);
      return id;
    });
    const rejectionIds = write.rejections.map(
      (r) =>
        insertRejection.run(r.integrationId, r.source, r.contentType, r.body, r.error, r.field, r.receivedAt).lastInsertRowid as number,
    );
    return { eventIds, rejectionIds };
  });

  // A read answers while writes fail (another process holding the write lock, a full disk): the
  // ping said ready and restock_store_up 1 while every delivery was answered 503. The intake's last
  // commit failure, until one commits or the lock probe below gets the lock: refused for
  // WRITES_FAILING_HOLD_MS, then while the probe cannot take the write lock within
  // WRITE_PROBE_WAIT_MS (waited for without blocking the event loop; a processing batch holds it for
  // ~60-90 ms). Cleared only by a commit, a probe that met a normal batch kept a healthy worker out
  // of traffic, and so out of the commits that would clear it.
  let writesFailing: { error: unknown; at: number } | undefined;
  async function refuseWhileWritesFail(): Promise<void> {
    if (writesFailing === undefined) return;
    const { error, at } = writesFailing;
    const refusal = (why: string, code: unknown) => Object.assign(new Error(`the database takes no writes now: ${why}`), { code });
    if (Date.now() - at < WRITES_FAILING_HOLD_MS) throw refusal((error as Error).message, (error as { code?: unknown }).code);
    try {
      await writeWithoutBlocking(() => {
        db.exec("BEGIN IMMEDIATE");
        db.exec("ROLLBACK");
      }, WRITE_PROBE_WAIT_MS);
    } catch (probeError) {
      throw refusal((probeError as Error).message, (probeError as { code?: unknown }).code);
    }
    writesFailing = undefined;
  }

  // This connection's writes run on the event loop that answers webhooks (the intake's group commit,
  // the sink's outbox, settings and dead-letter changes). While another connection (the processing
  // thread, a CLI command, another process) holds the write lock, they must not sleep in SQLite's
  // busy handler: each tries without waiting, and again after a millisecond, so the loop goes on
  // answering (and deliveries that arrive meanwhile join the next group commit). After
  // busyTimeoutMs the SQLITE_BUSY error is thrown, as the busy handler would.
  // db.pragma() each time, not a statement prepared once: SQLite applies `PRAGMA busy_timeout = n`
  // when it compiles the statement, so stepping a prepared one again did not reliably set it (tried:
  // after another timeout was set, a re-run statement left it in place and the write waited 2 s).
  async function writeWithoutBlocking<T>(write: () => T, timeoutMs = busyTimeoutMs): Promise<T> {
    // A clock that only goes forward: the wall clock set back (NTP) would stretch the wait.
    const giveUpAt = performance.now() + Math.min(busyTimeoutMs, timeoutMs);
    for (;;) {
      db.pragma("busy_timeout = 0");
      try {
        return write();
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || performance.now() >= giveUpAt) throw error;
      } finally {
        db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      }
      await delay(1);
    }
  }

  const requeue = db.transaction((id: number, now: number): boolean => {
    const letter = selectDeadLetter.get(id);
    if (letter?.kind !== "failed" || letter.retried_at !== null || letter.event_id === null) return false;
    if (requeueEvent.run(now, letter.event_id).changes !== 1) return false;
    markRetried.run(now, `requeued event ${letter.event_id}`, id);
    return true;
  });

  // By the decisions_line index (order, integration, line, quantity): a line has a few decisions.
  const selectLineRestoredTotal = db.prepare<[string, string, string, number], { total: number | null }>(
    "SELECT SUM(restored_now) AS total FROM decisions WHERE order_id = ? AND integration_id = ? AND line_id = ? AND id <= ?",
  );
  const claim = db.transaction((limit: number, now: number, leaseMs: number, maxWaitMs?: number) => {
    const until = now + leaseMs;
    return claimOutbox.all({ now, latest: latestDueAt(now, maxWaitMs), limit, until }).map((row) => {
      const adjustment = toAdjustment(selectAdjustment.get(row.adjustment_id)!);
      const { total } = selectLineRestoredTotal.get(adjustment.orderId, adjustment.integrationId, adjustment.lineId, adjustment.id)!;
      return {
        adjustment,
        attempts: row.attempts,
        leasedUntil: until,
        keyWithTime: row.key_with_time === 1,
        lineRestoredTotal: Number(total ?? adjustment.delta),
      };
    });
  });

  // Filtered listings: one prepared statement per combination of filters in use.
  const cache = new Map<string, Statement>();
  function query<R>(sql: string, params: Record<string, unknown>): R[] {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement.all(params) as R[];
  }

  return {
    kind: "sqlite",
    async ping() {
      db.prepare("SELECT 1").get();
      await refuseWhileWritesFail();
    },
    async close() {
      if (db.open) db.close();
    },

    async listIntegrations() {
      return selectIntegrations.all().map(toIntegration);
    },
    async getIntegration(id) {
      const row = selectIntegration.get(id);
      return row ? toIntegration(row) : undefined;
    },
    async writeIntegrations(writes) {
      return writeWithoutBlocking(() => writeIntegrations.immediate(writes));
    },
    async listModeChanges(integrationId, limit) {
      return selectModeChanges.all(integrationId, limit).map(toModeChange);
    },

    async appendIntake(write, bound) {
      try {
        const receipt = await writeWithoutBlocking(() => appendIntake.immediate(write), bound?.timeoutMs);
        writesFailing = undefined;
        return receipt;
      } catch (error) {
        if (isStoreUnavailable(error)) writesFailing = { error, at: Date.now() };
        throw error;
      }
    },
    async processBatch(options, evaluate) {
      return processBatch(options, evaluate);
    },
    async inboxDepth() {
      return countPending.get()!.n;
    },
    async oldestPendingAt() {
      return oldestPending.get()?.received_at ?? null;
    },
    async getEvent(id) {
      const row = selectEvent.get(id);
      return row ? toEvent(row) : undefined;
    },
    async countUndecided(ids) {
      return ids.length === 0 ? 0 : countUndecided.get(JSON.stringify(ids))!.n;
    },
    async otherOrdersOfEvent(id) {
      return selectEventOrders.all(id).map(([orderKey]) => orderKey);
    },
    async listIgnored(eventId) {
      return selectIgnored.all(eventId).map(toIgnored);
    },

    async listDeadLetters(filter) {
      const where: string[] = [];
      if (filter.kind) where.push("kind = @kind");
      if (filter.integrationId) where.push("integration_id = @integrationId");
      // A letter a retry holds (or a crashed retry left) is still open.
      if (!filter.includeRetried) where.push(OPEN_LETTER_SQL);
      if (filter.beforeId !== undefined) where.push("id < @beforeId");
      const sql = `SELECT ${deadLetterColumns} FROM dead_letters ${clause(where)} ORDER BY id DESC LIMIT @limit`;
      return query<DeadLetterRow>(sql, { ...filter, includeRetried: undefined }).map(toDeadLetter);
    },
    async getDeadLetter(id) {
      const row = selectDeadLetter.get(id);
      return row ? toDeadLetter(row) : undefined;
    },
    async getEventBody(id) {
      return selectEventBody.get(id)?.body;
    },
    async getEventBodyBytes(id) {
      return selectEventBodyBytes.get(id);
    },
    async countOpenDeadLetters() {
      return openLetterCounts(countOpenLetters.all());
    },
    async getDeadLetterBody(id) {
      return selectDeadLetterBody.get(id)?.body ?? undefined;
    },
    async requeueDeadLetter(id, now) {
      return writeWithoutBlocking(() => requeue.immediate(id, now));
    },
    async claimDeadLetterRetry(id, now, staleBefore) {
      const claimed = await writeWithoutBlocking(() => claimRetry.run({ now, id, staleBefore, retrying: RETRYING }));
      return claimed.changes === 1;
    },
    async releaseDeadLetterRetry(id, claimedAt) {
      await writeWithoutBlocking(() => releaseRetry.run({ id, retrying: RETRYING, claimedAt }));
    },
    async finishDeadLetterRetry(id, claimedAt, result) {
      const finished = await writeWithoutBlocking(() => finishRetry.run({ id, retrying: RETRYING, claimedAt, result }));
      return finished.changes === 1;
    },

    async prunePayloads(options) {
      return writeWithoutBlocking(() => pruneStep.immediate(options));
    },
    async pruneResumePoint() {
      return selectPruneResumePoint.get()!.resume_after;
    },
    async advancePruneResumePoint(afterId) {
      await writeWithoutBlocking(() => advancePruneResumePoint.run(afterId));
    },

    async lineTotalsBefore(integrationId, lines) {
      const totals: number[] = [];
      for (const [index, line] of lines.entries()) {
        // A month of a busy integration has ~10^5 lines: a few µs each, with turns between steps.
        if (index > 0 && index % LINE_TOTALS_STEP === 0) await yieldToEventLoop();
        totals.push(selectLineTotalBefore.get(line.orderId, integrationId, line.lineId, line.beforeId)?.total ?? 0);
      }
      return totals;
    },

    async queryDecisions(filter: DecisionFilter) {
      const where = leadingFilter(filter, ["orderId", "sku", "integrationId"]);
      // An event's decisions: the id range its inbox row records (migration 3), then the event itself.
      if (filter.eventId !== undefined) {
        where.push(
          "id BETWEEN (SELECT decisions_from FROM inbox WHERE id = @eventId) AND (SELECT decisions_to FROM inbox WHERE id = @eventId)",
          "event_id = @eventId",
        );
      }
      if (filter.outcome !== undefined) where.push("outcome = @outcome");
      if (filter.rule !== undefined) where.push("rule = @rule");
      if (filter.from !== undefined) where.push("decided_at >= @from");
      if (filter.to !== undefined) where.push("decided_at < @to");
      if (filter.beforeId !== undefined) where.push("id < @beforeId");
      const sql = `SELECT ${decisionColumns} FROM decisions ${clause(where)} ORDER BY id DESC LIMIT @limit`;
      return query<DecisionRow>(sql, { ...filter }).map(toDecision);
    },

    async listInventory(filter) {
      const where: string[] = [];
      if (filter.account !== undefined) where.push("account = @account");
      if (filter.sku !== undefined) where.push("sku = @sku");
      if (filter.after) where.push("(account > @afterAccount OR (account = @afterAccount AND sku > @afterSku))");
      const sql = `SELECT account, sku, on_hand, updated_at FROM inventory ${clause(where)} ORDER BY account, sku LIMIT @limit`;
      const params = {
        account: filter.account,
        sku: filter.sku,
        limit: filter.limit,
        afterAccount: filter.after?.account,
        afterSku: filter.after?.sku,
      };
      return query<InventoryRow>(sql, params).map(toInventory);
    },
    async listAdjustments(filter) {
      const where = leadingFilter(filter, ["orderId", "sku", "integrationId", "account"]);
      if (filter.afterId !== undefined) where.push("id > @afterId");
      const sql = `SELECT ${adjustmentColumns} FROM adjustments ${clause(where)} ORDER BY id LIMIT @limit`;
      return query<AdjustmentRow>(sql, { ...filter }).map(toAdjustment);
    },

    async claimOutbox(limit, now, leaseMs, maxWaitMs) {
      return writeWithoutBlocking(() => claim.immediate(limit, now, leaseMs, maxWaitMs));
    },
    async skipUndelivered(adjustmentIds, now, reason) {
      return writeWithoutBlocking(() => skip.immediate(adjustmentIds, now, reason));
    },
    async markOutboxDelivered(adjustmentId, now) {
      await writeWithoutBlocking(() => outboxDelivered.run(now, adjustmentId));
    },
    async markOutboxFailed(item, error, nextAttemptAt) {
      const { changes } = await writeWithoutBlocking(() =>
        outboxFailed.run({ id: item.adjustment.id, error, next: nextAttemptAt, leasedUntil: item.leasedUntil }),
      );
      return changes > 0;
    },
    async outboxDepth() {
      return countOutbox.get()!.n;
    },
    async listUndelivered(afterId, limit) {
      return selectUndelivered.all(afterId, limit).map(toUndelivered);
    },
    async oldestUndeliveredAt() {
      return oldestUndelivered.get()?.decided_at ?? null;
    },
    async hostSink() {
      return toHostSink(selectHostSink.get()!);
    },
    async setHostSink(enabled, now, changedBy, options) {
      return writeWithoutBlocking(() => turnHostSink.immediate(enabled, now, changedBy, options?.keepOffIfTurnedBy));
    },

    async revokeSession(id, expiresAt, now) {
      await writeWithoutBlocking(() => revoke.immediate(id, expiresAt, now));
    },
    async isSessionRevoked(id) {
      return selectRevocation.get(id) !== undefined;
    },
  };
}

// Columns of decisions (and so of the adjustments view) that lead an index, most selective first.
const indexedColumns = {
  eventId: "event_id",
  orderId: "order_id",
  sku: "sku",
  integrationId: "integration_id",
  account: "account",
} as const;
type IndexedFilter = keyof typeof indexedColumns;

/**
 * Equality conditions for the filters given, where only the most selective one (first in `ranked`)
 * can choose the index: the others are written `+column`, which SQLite's planner does not match to
 * an index. Without statistics it preferred (integration_id, id), for ORDER BY id, over
 * (order_id, ...) for an order's decisions, and walked every decision of the integration.
 */
function leadingFilter(filter: Partial<Record<IndexedFilter, unknown>>, ranked: readonly IndexedFilter[]): string[] {
  const present = ranked.filter((key) => filter[key] !== undefined);
  return present.map((key, i) => `${i === 0 ? "" : "+"}${indexedColumns[key]} = @${key}`);
}

function clause(conditions: string[]): string {
  return conditions.length === 0 ? "" : `WHERE ${conditions.join(" AND ")}`;
}
