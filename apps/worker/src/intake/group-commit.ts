import type { Store } from "../store/store.js";
import type { IntakeReceipt, NewEvent, NewRejection } from "../store/types.js";

interface Waiter {
  resolve(id: number): void;
  reject(error: unknown): void;
}

export interface GroupCommit {
  /** Resolves with the inbox id once the event's transaction is durably committed. */
  addEvent(event: NewEvent): Promise<number>;
  /** Resolves with the dead-letter id once the rejection is durably committed. */
  addRejection(rejection: NewRejection): Promise<number>;
  /** Commits whatever is queued and waits for any commit in flight. */
  flush(): Promise<void>;
}

/**
 * Group commit: writes queued during one tick share one transaction (one fsync), and every
 * waiting request is resolved after that commit is durable. Up to `maxInFlight` commits may be
 * waiting for their fsync at once (SQLite syncs its WAL off the event loop, PostgreSQL commits on
 * separate connections), so the requests that arrive during one fsync start their own commit
 * without waiting for it to end (with one in flight, a request could wait for almost two fsyncs);
 * more than two would mostly split the same requests into smaller groups and more fsyncs.
 */
export function createGroupCommit(
  store: Store,
  onCommit: (receipt: IntakeReceipt) => void = () => {},
  { maxInFlight = 2 }: { maxInFlight?: number } = {},
): GroupCommit {
  let events: NewEvent[] = [];
  let eventWaiters: Waiter[] = [];
  let rejections: NewRejection[] = [];
  let rejectionWaiters: Waiter[] = [];
  let scheduled = false;
  const inFlight = new Set<Promise<void>>();

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      commit();
    });
  }

  function commit(): void {
    // At the limit: what is queued now goes with the next commit, started when one ends.
    if (inFlight.size >= maxInFlight) return;
    if (events.length === 0 && rejections.length === 0) return;
    const write = { events, rejections };
    const waiting = { events: eventWaiters, rejections: rejectionWaiters };
    events = [];
    eventWaiters = [];
    rejections = [];
    rejectionWaiters = [];
    const done = (async () => {
      try {
        const receipt = await store.appendIntake(write);
        for (const [i, waiter] of waiting.events.entries()) waiter.resolve(receipt.eventIds[i]!);
        for (const [i, waiter] of waiting.rejections.entries()) waiter.resolve(receipt.rejectionIds[i]!);
        onCommit(receipt);
      } catch (error) {
        // Nothing was acknowledged: every sender gets an error and delivers again.
        for (const waiter of [...waiting.events, ...waiting.rejections]) waiter.reject(error);
      }
    })();
    inFlight.add(done);
    void done.finally(() => {
      inFlight.delete(done);
      if (events.length > 0 || rejections.length > 0) schedule();
    });
  }

  function enqueue<T>(item: T, queue: T[], waiters: Waiter[]): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      queue.push(item);
      waiters.push({ resolve, reject });
      schedule();
    });
  }

  return {
    addEvent: (event) => enqueue(event, events, eventWaiters),
    addRejection: (rejection) => enqueue(rejection, rejections, rejectionWaiters),
    async flush() {
      while (inFlight.size > 0 || events.length > 0 || rejections.length > 0) {
        if (events.length > 0 || rejections.length > 0) commit();
        if (inFlight.size > 0) await Promise.race(inFlight);
      }
    },
  };
}
