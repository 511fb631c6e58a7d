import type { ChangeVia, Integration, ModeChange } from "../settings/integration.js";
import type {
  AdjustmentFilter,
  AdjustmentRecord,
  BatchOptions,
  BatchReport,
  DeadLetter,
  DeadLetterFilter,
  DeadLetterKind,
  DecisionFilter,
  DecisionRecord,
  EvaluateEvent,
  EventRecord,
  HostSinkState,
  IgnoredRecord,
  IntakeReceipt,
  IntakeWrite,
  InventoryFilter,
  InventoryRecord,
  LineBefore,
  OutboxItem,
  PruneOptions,
  PruneStep,
  UndeliveredAdjustment,
} from "./types.js";

export type * from "./types.js";

export type StoreKind = "sqlite" | "postgres";

export interface IntegrationWrite {
  integration: Integration;
  /** The `updatedAt` of the row this write was made from; null to create the integration. */
  readAt: number | null;
  /**
   * The mode the row had and who had set it (null when creating). The history gets an entry when
   * either differs: a seller saving the mode a default or an import had set makes it theirs (an
   * import then keeps it), and the history says when that happened.
   */
  previous: Pick<Integration, "mode" | "modeSetBy"> | null;
  via: ChangeVia;
}

/** Whether a write leaves the mode and who set it as they were (no history entry). */
export function isModeUnchanged(integration: Integration, previous: IntegrationWrite["previous"]): boolean {
  return previous !== null && integration.mode === previous.mode && integration.modeSetBy === previous.modeSetBy;
}

/** An integration was created or changed by someone else since it was read: nothing was written. */
export class IntegrationConflict extends Error {
  override readonly name = "IntegrationConflict";
  constructor(readonly integrationId: string) {
    super(`integration "${integrationId}" was changed by someone else meanwhile`);
  }
}

/**
 * Everything the worker keeps. Promise-returning so that a PostgreSQL implementation (many
 * worker processes sharing one database) can satisfy it; SQL stays portable and the SQLite
 * specifics live in ./sqlite/. Times are epoch milliseconds.
 */
export interface Store {
  /** Which database this is; store-specific defaults key on it (DEFAULT_BATCH_SIZE), not on the configuration. */
  readonly kind: StoreKind;
  /** Checks the database answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;

  // Settings
  listIntegrations(): Promise<Integration[]>;
  getIntegration(id: string): Promise<Integration | undefined>;
  /**
   * Writes integrations in one transaction, all of them or none, each only if it is still as it was
   * read: an insert when `readAt` is null, else an update of the row whose `updatedAt` is `readAt`.
   * Otherwise it throws IntegrationConflict and writes nothing, so two writers (a PUT, the console, a
   * legacy import from the CLI) can never undo each other's change with a row read before it.
   * A write that changes the mode or who set it (and every insert) adds an entry to the integration's mode history:
   * resolves with each write's entry id, null for a write that added none.
   */
  writeIntegrations(writes: readonly IntegrationWrite[]): Promise<(number | null)[]>;
  /** An integration's mode history, newest first. */
  listModeChanges(integrationId: string, limit: number): Promise<ModeChange[]>;

  // Intake
  /**
   * Writes a group commit's accepted events and rejections in ONE durable transaction; resolves
   * only after the commit is on disk. Ids come back in the order of the arrays. `timeoutMs`, when
   * shorter than the store's write timeout, bounds this write instead (the group commit passes what
   * its oldest delivery has left of writeTimeoutMs); a write given up on commits nothing.
   */
  appendIntake(write: IntakeWrite, options?: { timeoutMs?: number }): Promise<IntakeReceipt>;

  // Processing
  /**
   * Claims up to `limit` due inbox events and applies them in ONE transaction: for each event (in
   * arrival order; an event waits while an earlier event of its (integration, order) is pending
   * a retry) it skips duplicates of an applied body, calls `evaluate`, then writes the decisions
   * (audit; a decision that restores units is an adjustment, with the decision's id), line progress,
   * on-hand, outbox rows and ignored events and marks the event done; or records the failure (retry
   * with backoff, or dead letter after `maxAttempts`).
   * PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED plus a per-(integration, order) lock.
   */
  processBatch(options: BatchOptions, evaluate: EvaluateEvent): Promise<BatchReport>;
  /** Pending inbox events (including ones waiting for a retry). */
  inboxDepth(): Promise<number>;
  /** When the earliest pending inbox event arrived (ms); null when none is pending. */
  oldestPendingAt(): Promise<number | null>;
  getEvent(id: number): Promise<EventRecord | undefined>;
  /** How many of these events are still undecided: pending (a retry due later, a wait) or dead. Unknown ids count as none. */
  countUndecided(ids: readonly number[]): Promise<number>;
  /**
   * The orders a pending or dead event names beyond its first (`orderKey`): an event naming several
   * (an order list page) keeps them (inbox_orders) until it is applied. Empty for any other event.
   */
  otherOrdersOfEvent(id: number): Promise<string[]>;
  /** The raw body an event arrived with; undefined when there is no such event or its body was pruned. */
  getEventBody(id: number): Promise<Buffer | undefined>;
  /** That body's size in bytes, without reading it; undefined as for getEventBody. */
  getEventBodyBytes(id: number): Promise<number | undefined>;
  listIgnored(eventId: number): Promise<IgnoredRecord[]>;

  // Dead letters
  listDeadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]>;
  getDeadLetter(id: number): Promise<DeadLetter | undefined>;
  /** Open letters (not retried, or held by a retry) of each kind. */
  countOpenDeadLetters(): Promise<Record<DeadLetterKind, number>>;
  /** The raw body of a dead letter (from the letter for `rejected`, from the inbox for `failed`). */
  getDeadLetterBody(id: number): Promise<Buffer | undefined>;
  /** Puts a `failed` letter's event back in the inbox as pending with no attempts; false when it was not a failed, unretried letter. */
  requeueDeadLetter(id: number, now: number): Promise<boolean>;
  /**
   * Claims a `rejected` letter for one retry: marks it retried with the result `RETRYING`, unless it
   * was retried already or another retry claimed it less than `staleBefore` ago (a claim older than
   * that was left by a retry that crashed). False when it could not be claimed.
   */
  claimDeadLetterRetry(id: number, now: number, staleBefore: number): Promise<boolean>;
  /** Gives back the claim taken at `claimedAt` when its retry decided nothing (the letter is open again); a later claim stays. */
  releaseDeadLetterRetry(id: number, claimedAt: number): Promise<void>;
  /**
   * Records how the retry that claimed the letter at `claimedAt` ended (the new event id or the new
   * rejection), in place of its claim. False, and nothing written, when that claim is no longer
   * there: it went stale and a later retry took the letter over, whose result is the one kept.
   */
  finishDeadLetterRetry(id: number, claimedAt: number, result: string): Promise<boolean>;

  // Retention
  /**
   * One step of `restock prune`: looks at the next `limit` events after `afterId` by id (SQLite's
   * window skips bodies already dropped; PostgreSQL's includes them) and drops the raw body and
   * stored parse of those decided (done or duplicate) before `decidedBefore` that no dead letter
   * points to. Nothing else goes: the inbox row keeps its body hash, so a redelivered body is still
   * found a duplicate; decisions and the ledger stay; pending and dead events keep their bodies. A
   * step is one short transaction that touches at most `limit` rows, so intake and processing go on
   * between steps. Ids follow arrival, so a step that ends on an event received at or after the
   * cutoff ends the run (nextAfterId null); where they do not quite (clocks of several machines),
   * ending early only leaves a body for the next run.
   */
  prunePayloads(options: PruneOptions): Promise<PruneStep>;
  /** Where the next prune run starts (prune_progress): every event up to it has lost its body or keeps it for good. */
  pruneResumePoint(): Promise<number>;
  /** Moves that point forward to `afterId` (never back: concurrent runs each move it only as far as they know). */
  advancePruneResumePoint(afterId: number): Promise<void>;

  // Audit
  /** Newest first. */
  queryDecisions(filter: DecisionFilter): Promise<DecisionRecord[]>;
  /**
   * Each line's cumulative total as its decisions with an id below `beforeId` had reached it (the
   * highest quantity decided; 0 when none), in the order given: where a line stood before a window
   * of decisions, which the console's activity replays from there.
   */
  lineTotalsBefore(integrationId: string, lines: readonly LineBefore[]): Promise<number[]>;

  // Ledger
  listInventory(filter: InventoryFilter): Promise<InventoryRecord[]>;
  /** Oldest first. */
  listAdjustments(filter: AdjustmentFilter): Promise<AdjustmentRecord[]>;

  // Host sink outbox
  /** Whether processing queues adjustments for a host sink (processBatch reads it in its transaction). */
  hostSink(): Promise<HostSinkState>;
  /**
   * Turns queueing for a host sink on or off; resolves with the state before. With `keepOffIfTurnedBy`,
   * a switch that is off because of that changer stays off (read and turned in one transaction).
   */
  setHostSink(enabled: boolean, now: number, changedBy: string, options?: { keepOffIfTurnedBy?: string }): Promise<HostSinkState>;
  /**
   * Claims due undelivered adjustments, hiding them from other claimers for `leaseMs`. A row due
   * later than `now + maxWaitMs` (the longest lease or retry delay the sink sets) was leased or
   * scheduled while the clock ran ahead, and is claimed as due.
   */
  claimOutbox(limit: number, now: number, leaseMs: number, maxWaitMs?: number): Promise<OutboxItem[]>;
  /**
   * Gives up on delivering these adjustments (the host refuses them for good), keeping `reason`;
   * resolves with the ids skipped: those still undelivered. A delivery that lands after all wins.
   */
  skipUndelivered(adjustmentIds: readonly number[], now: number, reason: string): Promise<number[]>;
  /** Delivered is delivered, whoever holds the row now: the host dedupes by the adjustment id. */
  markOutboxDelivered(adjustmentId: number, now: number): Promise<void>;
  /**
   * Records a failed delivery and when to try again, only while `item`'s claim still holds the row: a
   * claimer whose lease ran out must not move the due time of a row another claimer now delivers.
   * Resolves with whether it was recorded.
   */
  markOutboxFailed(item: Pick<OutboxItem, "adjustment" | "leasedUntil">, error: string, nextAttemptAt: number): Promise<boolean>;
  outboxDepth(): Promise<number>;
  /** Adjustments not yet delivered, oldest (lowest id) first, after `afterId`. */
  listUndelivered(afterId: number, limit: number): Promise<UndeliveredAdjustment[]>;
  /** When the earliest adjustment not yet delivered was decided (epoch ms), or null when none waits. */
  oldestUndeliveredAt(): Promise<number | null>;

  // Console sessions
  /**
   * Records that the console session `id` was signed out: from the commit on, isSessionRevoked says
   * so to every process on the database. `expiresAt` is when the session's cookie expires anyway;
   * rows whose sessions expired more than CLOCK_AHEAD_MARGIN_MS before `now` are deleted in the same
   * transaction (the margin: a process whose clock is behind still takes a cookie as unexpired after
   * this one's clock has it expired, and must still find it revoked). Revoking an id that is revoked
   * already changes nothing.
   */
  revokeSession(id: string, expiresAt: number, now: number): Promise<void>;
  /** Whether the console session `id` was signed out (revokeSession), by this process or any other on the database. */
  isSessionRevoked(id: string): Promise<boolean>;

  /**
   * Calls `wakeUp` whenever any worker process commits new inbox events (PostgreSQL: LISTEN/NOTIFY),
   * so that idle processors on other machines start at once. Absent where only this process writes.
   */
  onInboxEvents?(wakeUp: () => void): void;
}
