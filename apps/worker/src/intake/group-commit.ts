import type { Store } from "../store/store.js";
import type { IntakeReceipt, NewEvent, NewRejection } from "../store/types.js";

interface Waiter {
  resolve(id: number): void;
  reject(error: unknown): void;
  /** When its write must have committed (writeTimeoutMs after it was queued). */
  deadline: number;
}

export interface GroupCommit {
  /** Resolves with the inbox id once the event's transaction is durably committed. */
  addEvent(event: NewEvent): Promise<number>;
  /** Resolves with the dead-letter id once the rejection is durably committed. */
  addRejection(rejection: NewRejection): Promise<number>;
  /** Commits whatever is queued and waits for any commit in flight. */
  flush(): Promise<void>;
}

export interface GroupCommitOptions {
  /**
   * How long a write may wait from the moment it is queued (the worker's writeTimeoutMs). Queued
   * behind a commit in flight, it waited for that one before its own commit's timeout started, so a
   * delivery could wait nearly twice this. Without it, each commit has the store's own timeout.
   */
  writeTimeoutMs?: number;
}

/** The least time a commit is given: a write with less left is answered 503 before the commit (at most a quarter of writeTimeoutMs). */
const MIN_COMMIT_MS = 100;

/** A write still queued writeTimeoutMs after it arrived: never committed; intake answers 503 (a store-unavailable error). */
export class WriteTimeoutError extends Error {
  override readonly name = "WriteTimeoutError";
  readonly code = "ETIMEDOUT";
  constructor(timeoutMs: number) {
    super(`the write was not committed within ${timeoutMs} ms (writeTimeoutMs) of its arrival`);
  }
}

/**
 * Group commit: writes queued during one tick share one transaction (one fsync), and every
 * waiting request is resolved after that commit. Only one commit runs at a time; writes that
 * arrive during it go into the next one.
 *
 * With writeTimeoutMs, each write has a deadline from the moment it is queued. A write still queued
 * then is taken out of the queue and fails (503): it is never committed. A commit is given what its
 * oldest write has left (the store gives up on it then, and a write given up on commits nothing):
 * the writes of a commit succeed or fail together, so younger ones in it may be answered 503 early.
 * A write is never answered 503 while its commit may still land, but for a PostgreSQL server that
 * stops answering mid-commit, given up on at twice the time left (see inTransaction).
 */
export function createGroupCommit(
  store: Store,
  onCommit: (receipt: IntakeReceipt) => void = () => {},
  options: GroupCommitOptions = {},
): GroupCommit {
  const { writeTimeoutMs } = options;
  let events: NewEvent[] = [];
  let eventWaiters: Waiter[] = [];
  let rejections: NewRejection[] = [];
  let rejectionWaiters: Waiter[] = [];
  let scheduled = false;
  let inFlight: Promise<void> | undefined;
  // One timer for the queue, not one per write (thousands a second): armed for the oldest queued
  // write's deadline, cleared when a commit takes the queue, which is almost always long before.
  let expiryTimer: NodeJS.Timeout | undefined;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void commit();
    });
  }

  async function commit(): Promise<void> {
    if (inFlight) {
      // The next commit starts when this one ends; what is queued now waits for it.
      await inFlight;
      if (events.length > 0 || rejections.length > 0) schedule();
      return;
    }
    // A write with (almost) no time left is answered 503 now, while it is in no commit: sent on, it
    // would bound the whole commit to its few milliseconds and fail the writes that have plenty.
    // (Its timer may not have fired yet: a blocked event loop runs this setImmediate first.)
    if (writeTimeoutMs !== undefined) expireDue(Date.now() + Math.min(MIN_COMMIT_MS, writeTimeoutMs / 4));
    if (events.length === 0 && rejections.length === 0) return;
    const write = { events, rejections };
    const waiting = [...eventWaiters, ...rejectionWaiters];
    const oldest = oldestDeadline();
    events = [];
    eventWaiters = [];
    rejections = [];
    rejectionWaiters = [];
    // In the commit now: its outcome answers them, within the time the oldest has left.
    clearTimeout(expiryTimer);
    expiryTimer = undefined;
    const bound = writeTimeoutMs === undefined ? undefined : { timeoutMs: Math.max(1, oldest - Date.now()) };
    inFlight = (async () => {
      try {
        const receipt = await store.appendIntake(write, bound);
        const ids = [...receipt.eventIds, ...receipt.rejectionIds];
        for (const [i, waiter] of waiting.entries()) waiter.resolve(ids[i]!);
        onCommit(receipt);
      } catch (error) {
        // Nothing was acknowledged: every sender gets an error and delivers again.
        for (const waiter of waiting) waiter.reject(error);
      } finally {
        inFlight = undefined;
      }
    })();
    await inFlight;
  }

  /** Writes still queued whose deadline is `by` or earlier: out of the queue, never committed. */
  function expireDue(by = Date.now()): void {
    // Each queue is in arrival order, so its expired writes are a prefix of it.
    const due = (waiters: Waiter[]) => {
      let count = 0;
      while (count < waiters.length && waiters[count]!.deadline <= by) count++;
      return count;
    };
    const dueEvents = due(eventWaiters);
    const dueRejections = due(rejectionWaiters);
    events.splice(0, dueEvents);
    rejections.splice(0, dueRejections);
    for (const waiter of [...eventWaiters.splice(0, dueEvents), ...rejectionWaiters.splice(0, dueRejections)]) {
      waiter.reject(new WriteTimeoutError(writeTimeoutMs!));
    }
  }

  /** The oldest queued write's deadline: queued in arrival order, it is the first of either queue. */
  function oldestDeadline(): number {
    return Math.min(eventWaiters[0]?.deadline ?? Number.POSITIVE_INFINITY, rejectionWaiters[0]?.deadline ?? Number.POSITIVE_INFINITY);
  }

  function armExpiry(): void {
    if (writeTimeoutMs === undefined || expiryTimer !== undefined) return;
    const oldest = oldestDeadline();
    if (oldest === Number.POSITIVE_INFINITY) return;
    expiryTimer = setTimeout(
      () => {
        expiryTimer = undefined;
        expireDue();
        armExpiry();
      },
      Math.max(0, oldest - Date.now()),
    );
    expiryTimer.unref();
  }

  function enqueue<T>(item: T, queue: T[], waiters: Waiter[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      queue.push(item);
      waiters.push({ resolve, reject, deadline: writeTimeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + writeTimeoutMs });
      armExpiry();
      schedule();
    });
  }

  return {
    addEvent: (event) => enqueue(event, events, eventWaiters),
    addRejection: (rejection) => enqueue(rejection, rejections, rejectionWaiters),
    async flush() {
      while (inFlight || events.length > 0 || rejections.length > 0) {
        if (inFlight) await inFlight;
        else await commit();
      }
    },
  };
}
