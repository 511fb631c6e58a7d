import type { IgnoredEvent, IgnoreReason, LineDecision, Outcome, PartDecision, ReasonOrigin, RestorationMode, Rule } from "@restock/core";

/** Where an event came in: a marketplace webhook, the host API, or `restock replay`. */
export type EventSource = "webhook" | "api" | "replay";
/** How processing reads the body: a raw marketplace payload (JSON or XML text) or a canonical cancellation. */
export type PayloadFormat = "json" | "xml" | "canonical";
/** pending: waiting (possibly for a retry); done: applied; duplicate: the same body was already applied; dead: gave up. */
export type EventStatus = "pending" | "done" | "duplicate" | "dead";

/** An accepted delivery, written to the inbox by a group commit. Times are epoch milliseconds. */
export interface NewEvent {
  integrationId: string;
  source: EventSource;
  format: PayloadFormat;
  contentType: string | null;
  /** The exact bytes received. */
  body: Uint8Array;
  /** sha256 of the body: the same delivery twice is stored twice and applied once. */
  bodyHash: string;
  /** The order the event is about, when intake saw one: events of one (integration, order) apply in arrival order. */
  orderKey: string | null;
  /** Every order the event cancels lines of, when there is more than one (else empty): each is held in arrival order (../order-holds.ts). */
  orderKeys?: readonly string[];
  receivedAt: number;
  /**
   * The adapter's parse result at intake (`StoredParse` as JSON text), so processing decides from it
   * instead of parsing the body again; null when intake could not parse (processing parses then).
   */
  parsed?: string | null;
}

/**
 * How long a write waits for the database before it fails, unless the worker's `writeTimeoutMs`
 * says otherwise: SQLite's busy wait for the write lock; PostgreSQL's bound on an intake transaction.
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;

/**
 * How long a PostgreSQL processing batch's statement may run (the config's processing.timeoutMs);
 * the batch is given up at twice this. Far above a batch's usual tens of milliseconds, and no
 * shorter than idle_in_transaction_session_timeout, after which the server ends a stalled batch.
 */
export const DEFAULT_PROCESSING_TIMEOUT_MS = 60_000;

/** A dead letter's retry result while a retry holds it (Store.claimDeadLetterRetry). */
export const RETRYING = "retrying";

/** Whether a letter may be retried: never retried, or held by a retry (a crashed one's claim goes stale). */
export function isOpenLetter(letter: Pick<DeadLetter, "retriedAt" | "retryResult">): boolean {
  return letter.retriedAt === null || letter.retryResult === RETRYING;
}

/**
 * isOpenLetter in SQL, as both stores list open letters. The partial index dead_letters_open has this
 * condition word for word (SQLite migration 6, PostgreSQL migration 7), so the planner can use it.
 */
export const OPEN_LETTER_SQL = `(retried_at IS NULL OR retry_result = '${RETRYING}')`;

/** Open letters by kind, for `restock_dead_letters_open` (the same statement on both stores). */
export const OPEN_LETTERS_BY_KIND_SQL = `SELECT kind, COUNT(*) AS n FROM dead_letters WHERE ${OPEN_LETTER_SQL} GROUP BY kind`;

/** The earliest pending event's arrival: ids follow arrival, so the lowest pending id (inbox_pending) is it. */
export const OLDEST_PENDING_SQL = "SELECT received_at FROM inbox WHERE status = 'pending' ORDER BY id LIMIT 1";

/** `SELECT kind, COUNT(*) ... GROUP BY kind` rows as a count for every kind (0 for a kind with none). */
export function openLetterCounts(rows: readonly { kind: DeadLetterKind; n: number }[]): Record<DeadLetterKind, number> {
  const counts: Record<DeadLetterKind, number> = { rejected: 0, failed: 0 };
  for (const row of rows) counts[row.kind] = row.n;
  return counts;
}

/** A delivery refused at intake (400): kept with its body and the error, so nothing is lost. */
export interface NewRejection {
  integrationId: string;
  source: EventSource;
  contentType: string | null;
  body: Uint8Array;
  error: string;
  field: string | null;
  receivedAt: number;
}

export interface IntakeWrite {
  events: readonly NewEvent[];
  rejections: readonly NewRejection[];
}

/** Ids in the order of the write's arrays. */
export interface IntakeReceipt {
  eventIds: number[];
  rejectionIds: number[];
}

/** An inbox event handed to processing, with its integration's settings as they are now. */
export interface ClaimedEvent {
  id: number;
  integrationId: string;
  marketplace: string;
  account: string;
  /** The integration's CURRENT mode, read in the batch's transaction. */
  mode: RestorationMode;
  source: EventSource;
  format: PayloadFormat;
  contentType: string | null;
  body: Buffer;
  /** NewEvent.parsed, when the store keeps it. */
  parsed?: string | null;
  receivedAt: number;
  /** Failed attempts so far. */
  attempts: number;
}

export interface EvaluatedOrder {
  orderId: string;
  decisions: readonly LineDecision[];
}

/** What processing concluded about one event: decisions to apply, or why it failed. */
export type EventEvaluation =
  | {
      ok: true;
      adapterId: string;
      adapterVersion: string;
      orders: readonly EvaluatedOrder[];
      ignored: readonly IgnoredEvent[];
    }
  | { ok: false; error: string };

/** Pure and synchronous (parse + decide), so a store can call it inside the batch's transaction. */
export interface EvaluateEvent {
  (event: ClaimedEvent): EventEvaluation;
  /**
   * Whether evaluating the event reads its raw body (it has no stored parse the current adapter
   * made). A store may leave out the bodies no evaluation reads; absent: every body is read.
   */
  needsBody?(event: Pick<ClaimedEvent, "marketplace" | "parsed">): boolean;
}

export interface BatchOptions {
  /** Most events to claim. */
  limit: number;
  now: number;
  /** After this many failed attempts an event goes to the dead-letter table. */
  maxAttempts: number;
  /** Delay before the next attempt after `attempts` failures. */
  retryDelayMs(attempts: number): number;
  /**
   * SQLite: the batch stops after the event that brings its decision lines to this many (default
   * MAX_BATCH_LINES), leaving the rest pending for the next batch. SQLite has one writer: a batch of
   * line-heavy events held the write lock for seconds to minutes, and intake answered 503 meanwhile.
   */
  maxLines?: number;
  /**
   * The longest delay the worker schedules a retry for (processing.retryMaxMs). A retry due later
   * than `now` plus this was scheduled while the clock ran ahead (then set back): it is taken as due,
   * instead of holding its order's later events until the clock caught up (a year, after a clock
   * set a year ahead). Unset: no such check.
   */
  maxRetryDelayMs?: number;
}

/**
 * How far beyond its own longest delay a worker still honours a retry or a lease: workers sharing a
 * PostgreSQL database may be configured differently (a rolling change of retryMaxMs or of the sink's
 * timeout) or their clocks differ by a little; a clock set ahead by more than this is the case caught.
 */
export const CLOCK_AHEAD_MARGIN_MS = 60 * 60 * 1000;

/**
 * An outbox row's last error from its claim until its answer is recorded (a failure's message
 * replaces it, a delivery clears it): a request cut off by a crash left "not tried yet" (attempts 0,
 * no error) although the host may have had it. Kept over an earlier failure's message. SQL text: no quotes.
 */
export const CLAIMED_NO_ANSWER = "claimed for delivery, no answer recorded: in flight, or its process stopped before recording one";

/** The latest time a retry can be due at `now` (BatchOptions.maxRetryDelayMs); later is a clock that ran ahead. */
export const latestRetryAt = (options: Pick<BatchOptions, "now" | "maxRetryDelayMs">): number =>
  latestDueAt(options.now, options.maxRetryDelayMs);

/** The latest time a retry or a lease can end at `now` when none is set further than `maxWaitMs` ahead; unset: no limit. */
export const latestDueAt = (now: number, maxWaitMs: number | undefined): number =>
  maxWaitMs === undefined ? Number.MAX_SAFE_INTEGER : now + maxWaitMs;

/** A SQLite batch's default work budget in decision lines (~0.17 s of writes on a 2-core machine). */
export const MAX_BATCH_LINES = 10_000;

export interface AppliedEvent {
  event: ClaimedEvent;
  status: "done" | "duplicate" | "retry" | "dead";
  /** Set when the event was evaluated (not for duplicates). */
  evaluation?: EventEvaluation;
  /** For duplicates: the event that was applied with the same body. */
  duplicateOf?: number;
  /** Units added to inventory by this event. */
  unitsRestored: number;
}

export interface BatchReport {
  /** Events claimed, including ones left pending because an earlier event of their order failed in this batch. */
  claimed: number;
  /** The batch stopped at its work budget (maxLines) with claimed events left pending: run the next one at once. */
  more?: boolean;
  events: AppliedEvent[];
  /** Adjustments written (and outbox rows, while the host sink is enabled: Store.hostSink). */
  adjustments: number;
}

/** One line decision as the audit keeps it. */
export interface DecisionRecord {
  id: number;
  eventId: number;
  integrationId: string;
  marketplace: string;
  account: string;
  orderId: string;
  lineId: string;
  sku: string;
  /** Cumulative cancelled quantity the decision covers. */
  quantity: number;
  /** Units this decision added to inventory: the increase over what was processed before, when it restores. */
  restoredNow: number;
  restore: boolean;
  mode: RestorationMode;
  outcome: Outcome;
  rule: Rule;
  reasonCode: string | null;
  reasonLabel: string | null;
  reasonOrigin: ReasonOrigin;
  reasonDerived: boolean;
  adapterId: string;
  adapterVersion: string;
  /** Each reason's decision, for a line cancelled under several (`LineDecision.parts`). */
  parts?: PartDecision[];
  decidedAt: number;
}

export interface DecisionFilter {
  integrationId?: string;
  orderId?: string;
  sku?: string;
  outcome?: Outcome;
  rule?: Rule;
  eventId?: number;
  /** decidedAt >= from (epoch ms). */
  from?: number;
  /** decidedAt < to (epoch ms). */
  to?: number;
  /** Newest first: only rows with an id below this. */
  beforeId?: number;
  limit: number;
}

/** How many lines Store.lineTotalsBefore looks up between turns of the event loop (SQLite) or per query (PostgreSQL). */
export const LINE_TOTALS_STEP = 1000;

/** A line of an integration, and the decision id below which its total is asked for (Store.lineTotalsBefore). */
export interface LineBefore {
  orderId: string;
  lineId: string;
  beforeId: number;
}

export interface IgnoredRecord {
  eventId: number;
  integrationId: string;
  kind: string;
  reason: IgnoreReason;
  orderId: string | null;
  detail: string | null;
}

export interface EventRecord {
  id: number;
  integrationId: string;
  source: EventSource;
  format: PayloadFormat;
  contentType: string | null;
  status: EventStatus;
  orderKey: string | null;
  attempts: number;
  lastError: string | null;
  duplicateOf: number | null;
  receivedAt: number;
  processedAt: number | null;
}

export type DeadLetterKind = "rejected" | "failed";

export interface DeadLetter {
  id: number;
  kind: DeadLetterKind;
  integrationId: string;
  /** The inbox event, for `failed`; null for `rejected` (it never entered the inbox). */
  eventId: number | null;
  source: EventSource;
  contentType: string | null;
  error: string;
  field: string | null;
  attempts: number;
  createdAt: number;
  retriedAt: number | null;
  retryResult: string | null;
}

export interface DeadLetterFilter {
  kind?: DeadLetterKind;
  integrationId?: string;
  /** Include letters already retried. */
  includeRetried?: boolean;
  beforeId?: number;
  limit: number;
}

export interface InventoryRecord {
  account: string;
  sku: string;
  onHand: number;
  updatedAt: number;
}

export interface InventoryFilter {
  account?: string;
  sku?: string;
  limit: number;
  /** Paging by (account, sku), ascending. */
  after?: { account: string; sku: string };
}

export interface AdjustmentRecord {
  id: number;
  account: string;
  sku: string;
  delta: number;
  integrationId: string;
  marketplace: string;
  orderId: string;
  lineId: string;
  eventId: number;
  decisionId: number;
  createdAt: number;
}

export interface AdjustmentFilter {
  account?: string;
  sku?: string;
  integrationId?: string;
  orderId?: string;
  /** Ascending: only rows with an id above this. */
  afterId?: number;
  limit: number;
}

/** An adjustment the host has not acknowledged yet, as `restock sink undelivered` lists it. */
export interface UndeliveredAdjustment {
  adjustment: AdjustmentRecord;
  /** Failed deliveries so far. */
  attempts: number;
  /** Why the last one failed (the host's status, fetch's cause), or null before the first attempt. */
  lastError: string | null;
  /** When it is due again (epoch ms); while a sink holds it, when that claim's lease ends. */
  nextAttemptAt: number;
  /**
   * Whether its Idempotency-Key names the decision time (sinks/idempotency-key.ts): set by the process
   * that queued it. False for rows queued before keys named it, or by a process of that version.
   */
  keyWithTime: boolean;
}

/** An adjustment waiting to be delivered to the host's inventory service. */
export interface OutboxItem {
  adjustment: AdjustmentRecord;
  /** Failed deliveries so far. */
  attempts: number;
  /** The claim's lease ends then (epoch ms): a failure is recorded only while this claim still holds the row. */
  leasedUntil: number;
  /**
   * Whether its Idempotency-Key names the decision time (sinks/idempotency-key.ts): set by the process
   * that queued it. False for rows queued before keys named it, or by a process of that version.
   */
  keyWithTime: boolean;
  /**
   * The units restored on the adjustment's line (integration, order, line) by its decisions up to and
   * including this one: a host that keeps the highest it applied per line applies only what is beyond
   * it, so units re-decided after a database was restored from a backup (new adjustments, new keys)
   * are not applied twice.
   */
  lineRestoredTotal: number;
}

/**
 * Whether adjustments are queued for a host sink. The database's state, not a process's: while it is
 * on, every processing process writes an outbox row for each adjustment (a replay, an instance
 * without a sink URL), and a process with a sink URL delivers them.
 */
export interface HostSinkState {
  enabled: boolean;
  /** When it was last turned on or off (epoch ms). */
  changedAt: number;
  /** What turned it: a serving process's start, `restock sink enable|disable`, the migration that added it. */
  changedBy: string;
}

/** One step of dropping old payloads (Store.prunePayloads). */
export interface PruneOptions {
  /** Only events decided (done or duplicate) before this time (epoch ms). */
  decidedBefore: number;
  /** Look at events after this id (0 to start at the oldest). */
  afterId: number;
  /** How many events the step looks at (not how many it drops). */
  limit: number;
}

export interface PruneStep {
  /** How many of the events it looked at lost their bodies. */
  pruned: number;
  /** The last event id it looked at, to go on from; null when no later event can be due. */
  nextAfterId: number | null;
  /**
   * The first event it looked at that keeps its body for now but may lose it in a later run (not
   * decided yet, decided after the cutoff, or held by a concurrent prune); null when none. The events
   * before it that the step saw have lost their bodies or keep them for good (a dead letter's).
   */
  firstWaitingId: number | null;
}
