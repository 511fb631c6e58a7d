import type { Intake, IntakeResult } from "../intake/intake.js";
import type { Store } from "../store/store.js";
import { type DeadLetter, isOpenLetter, type PayloadFormat } from "../store/types.js";

/** A later event of the failed event's order that was decided while it lay dead (see decidedSince). */
export interface DecidedSince {
  orderId: string;
  eventId: number;
}

export type RetryResult =
  | { id: number; retried: true; kind: "failed"; eventId: number; decidedSince?: DecidedSince }
  | { id: number; retried: true; kind: "rejected"; result: IntakeResult }
  | { id: number; retried: false; error: string; notFound?: true; unavailable?: true };

/**
 * Replays a dead letter. A `failed` event goes back to the inbox as it is (after an adapter fix, it
 * now applies). A `rejected` delivery goes through intake again with its stored body, as a trusted
 * replay (its webhook signature headers were not kept): a new inbox event when it now validates,
 * a new rejection when it still does not.
 */
export async function retryDeadLetter(store: Store, intake: Intake, id: number, now = Date.now()): Promise<RetryResult> {
  const letter = await store.getDeadLetter(id);
  if (!letter) return { id, retried: false, error: `no dead letter ${id}`, notFound: true };
  if (!isOpenLetter(letter)) {
    return { id, retried: false, error: `dead letter ${id} was already retried (${letter.retryResult})` };
  }
  if (letter.kind === "failed") {
    const since = await decidedSince(store, letter);
    if (!(await store.requeueDeadLetter(id, now))) return { id, retried: false, error: `dead letter ${id} could not be requeued` };
    return { id, retried: true, kind: "failed", eventId: letter.eventId!, ...(since ? { decidedSince: since } : {}) };
  }
  const body = await store.getDeadLetterBody(id);
  if (!body) return { id, retried: false, error: `dead letter ${id} has no body` };
  // One retry at a time: two operators (or a double click) retrying one letter would otherwise both
  // pass the check above and send its body through intake twice.
  if (!(await store.claimDeadLetterRetry(id, now, now - STALE_RETRY_MS))) {
    return { id, retried: false, error: `dead letter ${id} is being retried, or was just retried` };
  }
  let result: IntakeResult;
  try {
    result = await intake.receive({
      integrationId: letter.integrationId,
      body,
      contentType: letter.contentType,
      // A webhook's body is the marketplace's payload, however often it is retried: it keeps its source
      // (so it is never read as a canonical cancellation, nor is a rejection of it the next time).
      // Intake checks no signature here: the headers were not kept, and the body was authenticated once.
      source: letter.source === "webhook" ? "webhook" : "replay",
      retry: true,
    });
  } catch (error) {
    await store.releaseDeadLetterRetry(id, now);
    throw error;
  }
  // Refused for a reason that may pass later (unknown integration, no adapter loaded): the letter stays open.
  if (result.status !== 202 && result.status !== 400) {
    await store.releaseDeadLetterRetry(id, now);
    // 503: the store could not take it now (the same answer for the retry, not a conflict).
    return {
      id,
      retried: false,
      error: `${result.status}: ${result.error}`,
      ...(result.status === 503 ? { unavailable: true as const } : {}),
    };
  }
  const summary = result.status === 202 ? `accepted as event ${result.eventId}` : `rejected again as dead letter ${result.rejectionId}`;
  // A retry that outlived its claim (stale after a minute) leaves the result to the retry that took over.
  await store.finishDeadLetterRetry(id, now, summary);
  return { id, retried: true, kind: "rejected", result };
}

/**
 * Whether a later event of a failed letter's order was decided after the event was dead-lettered
 * (a dead event holds its order no more). Requeued, the event is then applied after it: its
 * cumulative totals count against what the later event already processed, so units it alone
 * reported, and their reasons, may never be restored or withheld as they should have been (2 units
 * the buyer cancelled, then a total of 3 out of stock: 3 withheld, and the retry adds nothing). The
 * doors tell the operator, who may have to correct the stock by hand. Undefined when none was.
 */
export async function decidedSince(store: Store, letter: DeadLetter): Promise<DecidedSince | undefined> {
  if (letter.kind !== "failed" || letter.eventId === null) return undefined;
  const eventId = letter.eventId;
  const first = (await store.getEvent(eventId))?.orderKey;
  if (!first) return undefined;
  // Every order it names: an order list page's later orders too.
  for (const orderId of [first, ...(await store.otherOrdersOfEvent(eventId))]) {
    // Not only the newest decision: once retried, the newest is the event's own (the console's page
    // after a retry lost the warning just when the operator was to check the stock).
    let beforeId: number | undefined;
    for (;;) {
      const page = await store.queryDecisions({ integrationId: letter.integrationId, orderId, limit: DECISIONS_PAGE, beforeId });
      const later = page.find((decision) => decision.eventId > eventId);
      if (later) return { orderId, eventId: later.eventId };
      if (page.length < DECISIONS_PAGE) break;
      beforeId = page.at(-1)!.id;
    }
  }
  return undefined;
}

const DECISIONS_PAGE = 200;

/**
 * A claim older than this was left by a retry that crashed before recording its result: the letter
 * may be retried again (at worst its body goes through intake twice, and the inbox's duplicate
 * check applies it once). A retry itself takes milliseconds.
 */
const STALE_RETRY_MS = 60_000;

export type KeptLetterBody =
  | { found: true; letter: DeadLetter; body: Buffer; format: PayloadFormat | undefined }
  | { found: false; error: string };

/**
 * A dead letter's body as it arrived, for the API's and the console's downloads and the CLI: with
 * the format intake read a failed letter's event in (XML sent as text/plain is still XML); a
 * rejection was never read, so its Content-Type alone names it.
 */
export async function readDeadLetterBody(store: Store, id: number): Promise<KeptLetterBody> {
  const letter = await store.getDeadLetter(id);
  if (!letter) return { found: false, error: `no dead letter ${id}` };
  const body = await store.getDeadLetterBody(id);
  if (!body) return { found: false, error: `dead letter ${id} has no body kept` };
  const format = letter.eventId === null ? undefined : (await store.getEvent(letter.eventId))?.format;
  return { found: true, letter, body, format };
}

/** A letter as the API and the CLI show it: times as ISO-8601, like every other time they print. */
export function deadLetterView(letter: DeadLetter) {
  return {
    ...letter,
    createdAt: new Date(letter.createdAt).toISOString(),
    retriedAt: letter.retriedAt === null ? null : new Date(letter.retriedAt).toISOString(),
  };
}
