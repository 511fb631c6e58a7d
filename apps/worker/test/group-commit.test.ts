import { describe, expect, test } from "vitest";
import { createGroupCommit } from "../src/intake/group-commit.js";
import type { Store } from "../src/store/store.js";
import { isStoreUnavailable } from "../src/store/store-unavailable.js";
import type { IntakeWrite, NewEvent } from "../src/store/types.js";

const WRITE_TIMEOUT_MS = 300;

function event(orderKey: string): NewEvent {
  return {
    integrationId: "gc",
    source: "webhook",
    format: "json",
    contentType: "application/json",
    body: Buffer.from(orderKey),
    bodyHash: orderKey,
    orderKey,
    receivedAt: Date.now(),
  };
}

/**
 * A store whose intake commits take `commitMs` each (a write lock held elsewhere), and what they
 * wrote. Like the SQLite store, it gives up on a write at the timeout it is given (SQLITE_BUSY,
 * nothing written), unless `bounded` is false (a store that takes as long as it takes).
 */
function slowStore(commitMs: number | readonly number[], bounded = true) {
  const committed: string[][] = [];
  const timeouts: (number | undefined)[] = [];
  let nextId = 1;
  const store = {
    async appendIntake(write: IntakeWrite, options?: { timeoutMs?: number }) {
      timeouts.push(options?.timeoutMs);
      // One time for every commit, or each commit's in turn (the last for any after).
      const took = typeof commitMs === "number" ? commitMs : (commitMs[timeouts.length - 1] ?? commitMs.at(-1)!);
      const limit = bounded ? (options?.timeoutMs ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
      await new Promise((resolve) => setTimeout(resolve, Math.min(took, limit)));
      if (took > limit) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      committed.push(write.events.map((e) => e.orderKey!));
      return { eventIds: write.events.map(() => nextId++), rejectionIds: write.rejections.map(() => nextId++) };
    },
  } as unknown as Store;
  return { store, committed, timeouts };
}

/** When the write settled, in ms after it was queued, and how. */
async function timed(write: Promise<number>, queuedAt: number) {
  try {
    return { id: await write, ms: Date.now() - queuedAt };
  } catch (error) {
    return { error, ms: Date.now() - queuedAt };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("group commit: writeTimeoutMs counts from the moment a write is queued", () => {
  test("a write queued behind a commit in flight gets what is left of its time, not a whole timeout after that commit", async () => {
    // Each commit takes two thirds of the timeout: the first write commits in time; the second
    // waited for it, and then (before) had a whole timeout for its own commit: ~2 x 200 ms.
    const { store, committed, timeouts } = slowStore(200);
    const commits = createGroupCommit(store, () => {}, { writeTimeoutMs: WRITE_TIMEOUT_MS });
    const first = timed(commits.addEvent(event("A")), Date.now());
    await pause(30);
    const second = timed(commits.addEvent(event("B")), Date.now());
    expect(await first).toMatchObject({ id: 1 });
    const late = await second;
    // 503, as for any write the database did not take in time, at its own deadline.
    expect(isStoreUnavailable(late.error)).toBe(true);
    expect(late.ms).toBeLessThan(WRITE_TIMEOUT_MS + 100);
    await commits.flush();
    // Its commit was given what it had left, and gave up: nothing answered 503 was written.
    expect(committed).toEqual([["A"]]);
    expect(timeouts[1]).toBeLessThan(WRITE_TIMEOUT_MS / 2);
  });

  test("a write still queued at its deadline is answered 503 and never committed", async () => {
    // A commit that takes twice the timeout (a store that does not bound it): the writes queued behind it time out in the queue.
    const { store, committed } = slowStore(2 * WRITE_TIMEOUT_MS, false);
    const commits = createGroupCommit(store, () => {}, { writeTimeoutMs: WRITE_TIMEOUT_MS });
    const first = timed(commits.addEvent(event("A")), Date.now());
    await pause(30);
    const queuedAt = Date.now();
    const second = timed(commits.addEvent(event("B")), queuedAt);
    const third = timed(commits.addEvent(event("C")), queuedAt);
    for (const result of [await second, await third]) {
      expect(isStoreUnavailable(result.error)).toBe(true);
      expect(result.ms).toBeLessThan(WRITE_TIMEOUT_MS + 100);
    }
    // The write in flight is answered by its commit, which landed.
    expect(await first).toMatchObject({ id: 1 });
    await commits.flush();
    expect(committed).toEqual([["A"]]);
  });

  test("writes that commit in time are answered with their ids; the commit gets the whole timeout", async () => {
    const { store, committed, timeouts } = slowStore(5);
    const commits = createGroupCommit(store, () => {}, { writeTimeoutMs: WRITE_TIMEOUT_MS });
    const ids = await Promise.all(["A", "B", "C"].map((key) => commits.addEvent(event(key))));
    expect(ids).toEqual([1, 2, 3]);
    expect(committed).toEqual([["A", "B", "C"]]);
    expect(timeouts[0]).toBeGreaterThan(WRITE_TIMEOUT_MS - 50);
  });

  test("a write with almost no time left is answered 503 before the next commit, which then gets the time its other writes have", async () => {
    // The first commit takes 330 of 400 ms: B, queued just after it started, has < 100 ms left when
    // it ends. Sent on, B bounded the next commit to those few ms, and C (queued late, ~400 ms left)
    // failed with it; the second commit takes 150 ms.
    const timeoutMs = 400;
    const { store, committed, timeouts } = slowStore([330, 150]);
    const commits = createGroupCommit(store, () => {}, { writeTimeoutMs: timeoutMs });
    const first = timed(commits.addEvent(event("A")), Date.now());
    await pause(10);
    const second = timed(commits.addEvent(event("B")), Date.now());
    await pause(290);
    const third = timed(commits.addEvent(event("C")), Date.now());
    expect(await first).toMatchObject({ id: 1 });
    expect(isStoreUnavailable((await second).error)).toBe(true);
    expect(await third).toMatchObject({ id: 2 });
    await commits.flush();
    expect(committed).toEqual([["A"], ["C"]]);
    expect(timeouts[1]).toBeGreaterThan(200);
  });
});
