import type pg from "pg";
import { ConfigError } from "../../config/load-config.js";
import type { Logger } from "../../ops/logger.js";
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
} from "../sqlite/rows.js";
import { IntegrationConflict, type IntegrationWrite, isModeUnchanged, type Store } from "../store.js";
import {
  CLAIMED_NO_ANSWER,
  CLOCK_AHEAD_MARGIN_MS,
  DEFAULT_PROCESSING_TIMEOUT_MS,
  DEFAULT_WRITE_TIMEOUT_MS,
  type DeadLetterKind,
  LINE_TOTALS_STEP,
  latestDueAt,
  OLDEST_PENDING_SQL,
  OPEN_LETTER_SQL,
  OPEN_LETTERS_BY_KIND_SQL,
  openLetterCounts,
  RETRYING,
} from "../types.js";
import { appendIntake, INBOX_CHANNEL } from "./append-intake.js";
import { type ConnectionOptions, createPool, inTransaction, READ_ONLY_TRANSACTION, redactUrl } from "./connect.js";
import { type InboxListener, listenToInbox } from "./inbox-listener.js";
import { migrate } from "./migrate.js";
import { createBatchProcessor } from "./process-batch.js";
import { storableText, whereBuilder } from "./sql.js";

export interface PostgresStoreOptions extends ConnectionOptions {
  /** Where connection problems of idle connections and of the LISTEN connection are reported. */
  logger: Logger;
}

/**
 * The database cannot be reached or refuses the URL's credentials. `temporary` when it may work if
 * tried again (refused or timed-out connections, a server starting up or out of connections): the
 * CLI exits 75 (EX_TEMPFAIL) then, and 78 (configuration) for a wrong password, database or host
 * name. Exited 78, a worker restarted during a short database outage was taken for misconfigured by
 * supervisors that do not restart on 78.
 */
export class DatabaseConnectError extends ConfigError {
  readonly temporary: boolean;
  constructor(message: string, options: { cause: unknown; temporary?: boolean }) {
    super(message, { cause: options.cause });
    this.temporary = options.temporary ?? false;
  }
}

/** SQLSTATEs a retry may get past: connection exceptions (08), cannot_connect_now (a server starting or stopping), too_many_connections. */
const TEMPORARY_SQLSTATE = /^(08...|57P03|53300)$/;

/**
 * Whether a failed first query may work if tried again. The server's refusals carry a SQLSTATE
 * (a wrong password 28P01, a missing database 3D000: not temporary); the network's failures carry
 * a system code or, for pg's own connection timeout, none. A host name that does not resolve
 * (ENOTFOUND) is most often a typo.
 */
export function isTemporaryConnectFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return TEMPORARY_SQLSTATE.test(code);
  return code !== "ENOTFOUND";
}

/**
 * The host sink's claim ($1 now, $2 limit, $3 the lease's end, $4 the latest due time a clock that
 * ran ahead did not set), as SQLite's: undelivered rows due longest, then rows leased or retried by a
 * clock that ran ahead, each a range of outbox_due. SKIP LOCKED: two workers claiming at once get
 * different rows; the lease hides them afterwards. Picking due rows in adjustment-id order walked
 * every undelivered row while the host was down: 43 ms a claim at 262,144 rows waiting for a retry,
 * against 0.3 ms (bench/HISTORY.md, 2026-11-29). Rows due at one time come in the index's order:
 * ordering them by id too sorted every row due, 77 ms for 262,144 rows one batch made due at once,
 * against 0.04 ms. A locking clause cannot go in a UNION's arms, hence one CTE per range (the second
 * is read only when the first falls short).
 */
export const CLAIM_OUTBOX_CTE = `due AS (
           SELECT adjustment_id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at <= $1
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         ahead AS (
           SELECT adjustment_id FROM outbox WHERE delivered_at IS NULL AND next_attempt_at > $4
           ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         claimed AS (
           UPDATE outbox SET next_attempt_at = $3, last_error = COALESCE(last_error, '${CLAIMED_NO_ANSWER}')
           WHERE adjustment_id IN (SELECT adjustment_id FROM (SELECT adjustment_id FROM due UNION ALL SELECT adjustment_id FROM ahead) d LIMIT $2)
           RETURNING adjustment_id, attempts, key_with_time)`;

/**
 * Opens the PostgreSQL store that many worker processes, on many machines, share: a connection
 * pool, the schema migrated at start-up, and LISTEN/NOTIFY so that idle workers wake on new events.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const pool = createPool(options);
  // An idle connection that dies (server restart, network) must not crash the process; the pool replaces it.
  // pg-pool hangs the whole client on the error (err.client): logged as it is, each line was ~3 KB.
  pool.on("error", (error) =>
    options.logger.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, "an idle database connection failed"),
  );
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw new DatabaseConnectError(`cannot connect to PostgreSQL at ${redactUrl(options.url)}: ${(error as Error).message}`, {
      cause: error,
      temporary: isTemporaryConnectFailure(error),
    });
  }
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    // insufficient_privilege: a user with the table grants only, starting a version with new migrations.
    if ((error as { code?: string }).code === "42501") {
      throw new DatabaseConnectError(
        `PostgreSQL at ${redactUrl(options.url)} refused the schema migration: ${(error as Error).message} ` +
          "(a start that migrates needs a user that may create tables: see the README's grants)",
        { cause: error },
      );
    }
    throw error;
  }
  return createPostgresStore(pool, options);
}

function createPostgresStore(pool: pg.Pool, options: PostgresStoreOptions): Store {
  const processingTimeoutMs = options.processingTimeoutMs ?? DEFAULT_PROCESSING_TIMEOUT_MS;
  const processBatch = createBatchProcessor(pool, processingTimeoutMs);
  let listener: InboxListener | undefined;
  const wakeUps = new Set<() => void>();
  const writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;

  async function rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await pool.query<R>(sql, params)).rows;
  }
  async function count(sql: string): Promise<number> {
    return (await rows<{ n: number }>(sql))[0]!.n;
  }
  // Statements of the delivery's and the sink's loops, bounded on the client's side: a lock cannot
  // stall them for long, a server that stops answering can (a partition). pg-pool drops the
  // connection of a query that timed out, so the next one takes a fresh connection.
  function boundedQuery<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[],
    timeoutMs = 2 * writeTimeoutMs,
  ): Promise<pg.QueryResult<R>> {
    return pool.query<R>({ text, values, query_timeout: timeoutMs } as pg.QueryConfig);
  }

  return {
    kind: "postgres",
    async ping() {
      // Answering is not enough: a standby (a failover that left the URL on it) answers every read
      // and refuses every write. Asked in a transaction, whose 25006 drops the connection, so the
      // next ping asks a new one: a read-only session stays read-only after the database is not.
      await inTransaction(
        pool,
        async (client) => {
          const { rows } = await client.query<{ read_only: string }>("SELECT current_setting('transaction_read_only') AS read_only");
          if (rows[0]?.read_only !== "on") return;
          const message = "the database takes no writes (transaction_read_only is on: a standby, or default_transaction_read_only)";
          throw Object.assign(new Error(message), { code: READ_ONLY_TRANSACTION });
        },
        { timeoutMs: writeTimeoutMs },
      );
    },
    async close() {
      await listener?.close();
      listener = undefined;
      if (!pool.ended) await pool.end();
    },

    async listIntegrations() {
      return (await rows<IntegrationRow>(`SELECT ${integrationColumns} FROM integrations ORDER BY id`)).map(toIntegration);
    },
    async getIntegration(id) {
      // Every delivery's look-up (past the settings cache's second): bounded like its commit.
      const { rows } = await boundedQuery<IntegrationRow>(`SELECT ${integrationColumns} FROM integrations WHERE id = $1`, [id]);
      return rows[0] ? toIntegration(rows[0]) : undefined;
    },
    async writeIntegrations(writes) {
      return inTransaction(pool, async (client) => {
        const changeIds: (number | null)[] = [];
        for (const write of writes) changeIds.push(await writeIntegration(client, write));
        return changeIds;
      });
    },
    async listModeChanges(integrationId, limit) {
      return (
        await rows<ModeChangeRow>(`SELECT ${modeChangeColumns} FROM mode_changes WHERE integration_id = $1 ORDER BY id DESC LIMIT $2`, [
          integrationId,
          limit,
        ])
      ).map(toModeChange);
    },

    appendIntake: (write, bound) => appendIntake(pool, write, Math.max(1, Math.min(writeTimeoutMs, bound?.timeoutMs ?? writeTimeoutMs))),

    processBatch,
    inboxDepth: () => count("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'"),
    async oldestPendingAt() {
      const [row] = await rows<{ received_at: number }>(OLDEST_PENDING_SQL);
      return row?.received_at ?? null;
    },
    async getEvent(id) {
      const [row] = await rows<EventRow>(`SELECT ${eventColumns} FROM inbox WHERE id = $1`, [id]);
      return row ? toEvent(row) : undefined;
    },
    async countUndecided(ids) {
      if (ids.length === 0) return 0;
      const [row] = await rows<{ n: number }>(
        "SELECT COUNT(*)::int AS n FROM inbox WHERE id = ANY($1::bigint[]) AND status IN ('pending', 'dead')",
        [ids],
      );
      return row!.n;
    },
    async otherOrdersOfEvent(id) {
      const found = await rows<{ order_key: string }>(
        `SELECT o.order_key FROM inbox_orders o JOIN inbox e ON e.id = o.event_id
         WHERE o.event_id = $1 AND o.order_key IS DISTINCT FROM e.order_key ORDER BY o.order_key`,
        [id],
      );
      return found.map((row) => row.order_key);
    },
    async listIgnored(eventId) {
      const found = await rows<IgnoredRow>(
        "SELECT event_id, integration_id, kind, reason, order_id, detail FROM ignored_events WHERE event_id = $1 ORDER BY id",
        [eventId],
      );
      return found.map(toIgnored);
    },

    async listDeadLetters(filter) {
      const q = whereBuilder();
      if (filter.kind) q.where(`kind = ${q.param(filter.kind)}`);
      if (filter.integrationId) q.where(`integration_id = ${q.param(filter.integrationId)}`);
      // A letter a retry holds (or a crashed retry left) is still open.
      if (!filter.includeRetried) q.where(OPEN_LETTER_SQL);
      if (filter.beforeId !== undefined) q.where(`id < ${q.param(filter.beforeId)}`);
      const sql = `SELECT ${deadLetterColumns} FROM dead_letters ${q.clause()} ORDER BY id DESC LIMIT ${q.param(filter.limit)}`;
      return (await rows<DeadLetterRow>(sql, q.params)).map(toDeadLetter);
    },
    async getDeadLetter(id) {
      const [row] = await rows<DeadLetterRow>(`SELECT ${deadLetterColumns} FROM dead_letters WHERE id = $1`, [id]);
      return row ? toDeadLetter(row) : undefined;
    },
    async getEventBody(id) {
      const [row] = await rows<{ body: Buffer | null }>("SELECT body FROM inbox WHERE id = $1", [id]);
      return row?.body ?? undefined;
    },
    async getEventBodyBytes(id) {
      // octet_length of a TOASTed value reads its stored size, not the value.
      const [row] = await rows<{ bytes: number | null }>("SELECT octet_length(body) AS bytes FROM inbox WHERE id = $1", [id]);
      return row?.bytes ?? undefined;
    },
    async countOpenDeadLetters() {
      return openLetterCounts(await rows<{ kind: DeadLetterKind; n: number }>(OPEN_LETTERS_BY_KIND_SQL));
    },
    async getDeadLetterBody(id) {
      const [row] = await rows<{ body: Buffer | null }>(
        "SELECT COALESCE(d.body, e.body) AS body FROM dead_letters d LEFT JOIN inbox e ON e.id = d.event_id WHERE d.id = $1",
        [id],
      );
      return row?.body ?? undefined;
    },
    async prunePayloads({ decidedBefore, afterId, limit }) {
      // The window is the next `limit` inbox rows by id (bodies already dropped included: NULL, not
      // gone); the body becomes NULL (migration 5) rather than the row going, as the inbox row is the
      // event's record. Only the rows pruned are locked (SKIP LOCKED: one a concurrent prune holds is
      // left to it), so processors and intake never wait on a prune.
      // A background step, bounded as a processing batch is: a step on a lost connection fails,
      // and the prune runs again at its next interval.
      const {
        rows: [step],
      } = await boundedQuery<{
        pruned: number;
        examined: number;
        first_waiting: number | null;
        last_id: number | null;
        last_received: number | null;
      }>(
        `WITH win AS (
           SELECT id, received_at, body IS NOT NULL AS has_body,
                  status IN ('done', 'duplicate') AND processed_at < $2 AS decided,
                  body IS NOT NULL AND EXISTS (SELECT 1 FROM dead_letters d WHERE d.event_id = inbox.id) AS lettered
           FROM inbox WHERE id > $1 ORDER BY id LIMIT $3),
         dropped AS (
           UPDATE inbox SET body = NULL, parsed = NULL
           WHERE id IN (
             SELECT id FROM inbox WHERE id IN (SELECT id FROM win WHERE has_body AND decided AND NOT lettered) AND body IS NOT NULL
             FOR UPDATE SKIP LOCKED)
           RETURNING id)
         SELECT (SELECT count(*)::int FROM dropped) AS pruned, (SELECT count(*)::int FROM win) AS examined,
                (SELECT min(id) FROM win WHERE has_body AND NOT lettered AND id NOT IN (SELECT id FROM dropped)) AS first_waiting,
                last.id AS last_id, last.received_at AS last_received
         FROM (SELECT 1) one LEFT JOIN (SELECT id, received_at FROM win ORDER BY id DESC LIMIT 1) last ON true`,
        [afterId, decidedBefore, limit],
        2 * processingTimeoutMs,
      );
      const { pruned, examined, first_waiting: firstWaitingId, last_id: lastId, last_received: lastReceived } = step!;
      const more = lastId !== null && examined === limit && lastReceived !== null && lastReceived < decidedBefore;
      // A body a concurrent prune holds (SKIP LOCKED) counts as waiting: this run did not drop it. One
      // that a concurrent prune dropped after this statement's snapshot is not dropped (and counted)
      // twice: the lock rechecks the row's latest version against "body IS NOT NULL".
      return { pruned, nextAfterId: more ? lastId : null, firstWaitingId };
    },
    async pruneResumePoint() {
      return (await rows<{ resume_after: number }>("SELECT resume_after FROM prune_progress"))[0]!.resume_after;
    },
    async advancePruneResumePoint(afterId) {
      await rows("UPDATE prune_progress SET resume_after = GREATEST(resume_after, $1)", [afterId]);
    },
    requeueDeadLetter: (id, now) =>
      inTransaction(pool, async (client) => {
        const { rows: found } = await client.query<DeadLetterRow>(
          `SELECT ${deadLetterColumns} FROM dead_letters WHERE id = $1 FOR UPDATE`,
          [id],
        );
        const letter = found[0];
        if (letter?.kind !== "failed" || letter.retried_at !== null || letter.event_id === null) return false;
        const requeued = await client.query(
          `UPDATE inbox SET status = 'pending', attempts = 0, next_attempt_at = $1, last_error = NULL, processed_at = NULL
           WHERE id = $2 AND status = 'dead'`,
          [now, letter.event_id],
        );
        if (requeued.rowCount !== 1) return false;
        await client.query("UPDATE dead_letters SET retried_at = $1, retry_result = $2 WHERE id = $3", [
          now,
          `requeued event ${letter.event_id}`,
          id,
        ]);
        await client.query(`NOTIFY ${INBOX_CHANNEL}`);
        return true;
      }),
    async claimDeadLetterRetry(id, now, staleBefore) {
      const claimed = await pool.query(
        `UPDATE dead_letters SET retried_at = $1, retry_result = $2
         WHERE id = $3 AND kind = 'rejected' AND (retried_at IS NULL OR (retry_result = $2 AND retried_at < $4))`,
        [now, RETRYING, id, staleBefore],
      );
      return claimed.rowCount === 1;
    },
    async releaseDeadLetterRetry(id, claimedAt) {
      await pool.query(
        "UPDATE dead_letters SET retried_at = NULL, retry_result = NULL WHERE id = $1 AND retry_result = $2 AND retried_at = $3",
        [id, RETRYING, claimedAt],
      );
    },
    async finishDeadLetterRetry(id, claimedAt, result) {
      const finished = await pool.query(
        "UPDATE dead_letters SET retry_result = $1 WHERE id = $2 AND retry_result = $3 AND retried_at = $4",
        [storableText(result), id, RETRYING, claimedAt],
      );
      return finished.rowCount === 1;
    },

    async lineTotalsBefore(integrationId, lines) {
      const totals: number[] = [];
      // One round trip per LINE_TOTALS_STEP lines: each looked up by its order (decisions_order).
      for (let start = 0; start < lines.length; start += LINE_TOTALS_STEP) {
        const step = lines.slice(start, start + LINE_TOTALS_STEP);
        const found = await rows<{ total: string | number | null }>(
          `SELECT (SELECT MAX(d.quantity) FROM decisions d
                    WHERE d.order_id = l.order_id AND d.integration_id = $1 AND d.line_id = l.line_id AND d.id < l.before_id) AS total
             FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS l(order_id, line_id, before_id, n)
            ORDER BY l.n`,
          [integrationId, step.map((line) => line.orderId), step.map((line) => line.lineId), step.map((line) => line.beforeId)],
        );
        for (const row of found) totals.push(row.total === null ? 0 : Number(row.total));
      }
      return totals;
    },

    async queryDecisions(filter) {
      const q = whereBuilder();
      if (filter.integrationId !== undefined) q.where(`integration_id = ${q.param(filter.integrationId)}`);
      if (filter.orderId !== undefined) q.where(`order_id = ${q.param(filter.orderId)}`);
      if (filter.sku !== undefined) q.where(`sku = ${q.param(filter.sku)}`);
      if (filter.outcome !== undefined) q.where(`outcome = ${q.param(filter.outcome)}`);
      if (filter.rule !== undefined) q.where(`rule = ${q.param(filter.rule)}`);
      if (filter.eventId !== undefined) q.where(`event_id = ${q.param(filter.eventId)}`);
      if (filter.from !== undefined) q.where(`decided_at >= ${q.param(filter.from)}`);
      if (filter.to !== undefined) q.where(`decided_at < ${q.param(filter.to)}`);
      if (filter.beforeId !== undefined) q.where(`id < ${q.param(filter.beforeId)}`);
      const sql = `SELECT ${decisionColumns} FROM decisions ${q.clause()} ORDER BY id DESC LIMIT ${q.param(filter.limit)}`;
      return (await rows<DecisionRow>(sql, q.params)).map(toDecision);
    },

    async listInventory(filter) {
      const q = whereBuilder();
      if (filter.account !== undefined) q.where(`account = ${q.param(filter.account)}`);
      if (filter.sku !== undefined) q.where(`sku = ${q.param(filter.sku)}`);
      if (filter.after) {
        const account = q.param(filter.after.account);
        q.where(`(account COLLATE "C" > ${account} OR (account = ${account} AND sku COLLATE "C" > ${q.param(filter.after.sku)}))`);
      }
      // COLLATE "C": SQLite's byte order, whatever the database's collation, so paging agrees.
      const sql = `SELECT account, sku, on_hand, updated_at FROM inventory ${q.clause()}
        ORDER BY account COLLATE "C", sku COLLATE "C" LIMIT ${q.param(filter.limit)}`;
      return (await rows<InventoryRow>(sql, q.params)).map(toInventory);
    },
    async listAdjustments(filter) {
      // adjustments is a view of the decisions that restored units (migration 4): SKU, integration and
      // order filters use decisions' own indexes; account alone has none (see migration 4).
      const q = whereBuilder();
      if (filter.account !== undefined) q.where(`account = ${q.param(filter.account)}`);
      if (filter.sku !== undefined) q.where(`sku = ${q.param(filter.sku)}`);
      if (filter.integrationId !== undefined) q.where(`integration_id = ${q.param(filter.integrationId)}`);
      if (filter.orderId !== undefined) q.where(`order_id = ${q.param(filter.orderId)}`);
      if (filter.afterId !== undefined) q.where(`id > ${q.param(filter.afterId)}`);
      const sql = `SELECT ${adjustmentColumns} FROM adjustments ${q.clause()} ORDER BY id LIMIT ${q.param(filter.limit)}`;
      return (await rows<AdjustmentRow>(sql, q.params)).map(toAdjustment);
    },

    async claimOutbox(limit, now, leaseMs, maxWaitMs) {
      // An outbox row is keyed by its decision's id, which the adjustments view shares.
      // The line's restored units up to this adjustment (OutboxItem.lineRestoredTotal), by decisions_order.
      const { rows: claimed } = await boundedQuery<
        AdjustmentRow & { attempts: number; key_with_time: boolean; line_restored_total: string }
      >(
        `WITH ${CLAIM_OUTBOX_CTE}
         SELECT ${adjustmentColumns.replaceAll(/(\w+)/g, "a.$1")}, c.attempts, c.key_with_time,
           (SELECT SUM(d.restored_now) FROM decisions d
             WHERE d.order_id = a.order_id AND d.integration_id = a.integration_id AND d.line_id = a.line_id AND d.id <= a.id
           ) AS line_restored_total
         FROM claimed c JOIN adjustments a ON a.id = c.adjustment_id ORDER BY a.id`,
        [now, limit, now + leaseMs, latestDueAt(now, maxWaitMs)],
      );
      return claimed.map((row) => ({
        adjustment: toAdjustment(row),
        attempts: row.attempts,
        leasedUntil: now + leaseMs,
        keyWithTime: row.key_with_time,
        lineRestoredTotal: Number(row.line_restored_total),
      }));
    },
    async skipUndelivered(adjustmentIds, now, reason) {
      const { rows: skipped } = await pool.query<{ adjustment_id: number }>(
        `UPDATE outbox SET delivered_at = $1, skipped_reason = $2
         WHERE adjustment_id = ANY($3::bigint[]) AND delivered_at IS NULL RETURNING adjustment_id`,
        [now, storableText(reason), [...adjustmentIds]],
      );
      const ids = new Set(skipped.map((row) => row.adjustment_id));
      return adjustmentIds.filter((id) => ids.has(id));
    },
    async markOutboxDelivered(adjustmentId, now) {
      await boundedQuery("UPDATE outbox SET delivered_at = $1, last_error = NULL, skipped_reason = NULL WHERE adjustment_id = $2", [
        now,
        adjustmentId,
      ]);
    },
    async markOutboxFailed(item, error, nextAttemptAt) {
      // Only while this claim's lease holds the row (next_attempt_at is still the lease's end it set).
      const result = await boundedQuery(
        `UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2
         WHERE adjustment_id = $3 AND next_attempt_at = $4 AND delivered_at IS NULL`,
        [storableText(error), nextAttemptAt, item.adjustment.id, item.leasedUntil],
      );
      return (result.rowCount ?? 0) > 0;
    },
    outboxDepth: () => count("SELECT COUNT(*) AS n FROM outbox WHERE delivered_at IS NULL"),
    async listUndelivered(afterId, limit) {
      return (await rows<UndeliveredRow>(undeliveredSql("$1", "$2"), [afterId, limit])).map(toUndelivered);
    },
    async oldestUndeliveredAt() {
      // Decision ids follow decision time: the earliest undelivered id is the adjustment waiting longest.
      const found = await rows<{ decided_at: number }>(
        "SELECT decided_at FROM decisions WHERE id = (SELECT MIN(adjustment_id) FROM outbox WHERE delivered_at IS NULL)",
      );
      return found[0]?.decided_at ?? null;
    },
    async hostSink() {
      return toHostSink((await rows<HostSinkRow>(`SELECT ${hostSinkColumns} FROM host_sink`))[0]!);
    },
    async setHostSink(enabled, now, changedBy, options) {
      // The row locked first, so two processes turning it at once each see the other's change as "before".
      // Bounded as a delivery's commit is: a serve starting while another session held the row, or the
      // network was cut, waited unbounded and unlogged, and a stop could not end it.
      return inTransaction(
        pool,
        async (client) => {
          const before = (await client.query<HostSinkRow>(`SELECT ${hostSinkColumns} FROM host_sink FOR UPDATE`)).rows[0]!;
          if (!before.enabled && options?.keepOffIfTurnedBy !== undefined && before.changed_by === options.keepOffIfTurnedBy) {
            return toHostSink(before);
          }
          await client.query("UPDATE host_sink SET enabled = $1, changed_at = $2, changed_by = $3 WHERE enabled <> $1", [
            enabled,
            now,
            changedBy,
          ]);
          return toHostSink(before);
        },
        { timeoutMs: writeTimeoutMs },
      );
    },

    async revokeSession(id, expiresAt, now) {
      // One statement: the expired rows go and the revocation is recorded together, or neither.
      await boundedQuery(
        `WITH expired AS (DELETE FROM revoked_sessions WHERE expires_at <= $4)
         INSERT INTO revoked_sessions (id, expires_at, revoked_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
        [id, expiresAt, now, now - CLOCK_AHEAD_MARGIN_MS],
      );
    },
    async isSessionRevoked(id) {
      // Asked for every request a console session makes: bounded like a delivery's look-up, so a
      // database that stops answering gets those requests 503 rather than holding them.
      const { rows } = await boundedQuery("SELECT 1 FROM revoked_sessions WHERE id = $1", [id]);
      return rows.length > 0;
    },

    onInboxEvents(wakeUp) {
      wakeUps.add(wakeUp);
      listener ??= listenToInbox(
        options.url,
        () => {
          for (const wake of wakeUps) wake();
        },
        options.logger,
      );
    },
  };
}

/** One of `writeIntegrations`' writes: an insert, or an update of the row as it was read (else IntegrationConflict). */
async function writeIntegration(client: pg.ClientBase, { integration, readAt, previous, via }: IntegrationWrite): Promise<number | null> {
  const { id, marketplace, account, mode, modeSetBy, webhookSecret, createdAt, updatedAt } = integration;
  const written =
    readAt === null
      ? await client.query(
          `INSERT INTO integrations (${integrationColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
          [id, marketplace, account, mode, modeSetBy, webhookSecret, createdAt, updatedAt],
        )
      : await client.query(
          `UPDATE integrations SET account = $2, mode = $3, mode_set_by = $4, webhook_secret = $5, updated_at = $6
           WHERE id = $1 AND updated_at = $7`,
          [id, account, mode, modeSetBy, webhookSecret, updatedAt, readAt],
        );
  // Thrown inside the transaction: it rolls back, and none of the writes is kept.
  if (written.rowCount === 0) throw new IntegrationConflict(id);
  if (isModeUnchanged(integration, previous)) return null;
  const { rows } = await client.query<{ id: number }>(
    "INSERT INTO mode_changes (integration_id, at, from_mode, to_mode, set_by, via) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    [id, updatedAt, previous?.mode ?? null, mode, modeSetBy, via],
  );
  return rows[0]!.id;
}
