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
 * waiting request is resolved after that commit. Only one commit runs at a time; writes that
 * arrive during it go into the next one.
 */
export function createGroupCommit(store: Store, onCommit: (receipt: IntakeReceipt) => void = () => {}): GroupCommit {
  let events: NewEvent[] = [];
  let eventWaiters: Waiter[] = [];
  let rejections: NewRejection[] = [];
  let rejectionWaiters: Waiter[] = [];
  let scheduled = false;
  let inFlight: Promise<void> | undefined;

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
    if (events.length === 0 && rejections.length === 0) return;
    const write = { events, rejections };
    const waiting = { events: eventWaiters, rejections: rejectionWaiters };
    events = [];
    eventWaiters = [];
    rejections = [];
    rejectionWaiters = [];
    inFlight = (async () => {
      try {
        const receipt = await store.appendIntake(write);
        for (const [i, waiter] of waiting.events.entries()) waiter.resolve(receipt.eventIds[i]!);
        for (const [i, waiter] of waiting.rejections.entries()) waiter.resolve(receipt.rejectionIds[i]!);
        onCommit(receipt);
      } catch (error) {
        // Nothing was acknowledged: every sender gets an error and delivers again.
        for (const waiter of [...waiting.events, ...waiting.rejections]) waiter.reject(error);
      } finally {
        inFlight = undefined;
      }
    })();
    await inFlight;
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
      while (inFlight || events.length > 0 || rejections.length > 0) {
        if (inFlight) await inFlight;
        else await commit();
      }
    },
  };
}
