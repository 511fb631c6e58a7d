import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { createOutageLog } from "../ops/outage-log.js";
import { backoffDelay } from "../processing/backoff.js";
import type { Store } from "../store/store.js";
import { CLOCK_AHEAD_MARGIN_MS, type OutboxItem } from "../store/types.js";
import { adjustmentBody } from "./adjustment-body.js";
import { createFailureLog } from "./failure-log.js";
import { idempotencyKey } from "./idempotency-key.js";

export interface HttpSinkOptions {
  url: string;
  timeoutMs: number;
  concurrency: number;
  batchSize: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollMs: number;
  headers: Record<string, string>;
  /** At most one failure warning per this long, the others summed up (createFailureLog); default 60 s. */
  failureLogWindowMs?: number;
}

export interface HttpSink {
  start(): void;
  stop(): Promise<void>;
  /** Adjustments were committed: deliver now instead of at the next poll. */
  wake(): void;
  /** One claim-and-deliver round (at most `concurrency` adjustments, all at once); returns how many it sent. */
  deliverBatch(): Promise<number>;
}

/** What a lease holds beyond two request timeouts: time to record a request's answer. */
const LEASE_SLACK_MS = 1000;

/** A host's non-2xx answer, with the wait its Retry-After asked for (429, 503), if any. */
class HostRefusal extends Error {
  constructor(
    status: number,
    readonly retryAfterMs: number | undefined,
  ) {
    super(`host answered ${status}${retryAfterMs === undefined ? "" : ` (Retry-After: ${Math.ceil(retryAfterMs / 1000)} s)`}`);
  }
}

/** Retry-After as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  return Number.isFinite(ms) ? Math.max(ms, 0) : undefined;
}

/**
 * Delivers the outbox to the host's inventory service: one POST per adjustment with an
 * `Idempotency-Key` header (the adjustment id and decision time: idempotencyKey). At-least-once: a row is marked delivered only
 * after a 2xx; failures retry with exponential backoff, forever, so the host gets every
 * adjustment and dedupes repeats by the key.
 */
export function createHttpSink(store: Store, options: HttpSinkOptions, metrics: Metrics, logger: Logger, now = Date.now): HttpSink {
  let running = false;
  let loop: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wakeUp: (() => void) | undefined;
  // Set by wake() while a round is running, so the wake-up is not lost.
  let woken = false;
  // A claimed row stays hidden from other claimers for longer than one delivery can take. A round
  // claims only what it sends at once (concurrency), so every claimed row is in flight from the
  // start: claimed 100 and sent 8 at a time, the last ones outlived the lease behind a slow host
  // and another worker delivered them too.
  const leaseMs = options.timeoutMs * 2 + LEASE_SLACK_MS;
  const perRound = Math.min(options.batchSize, options.concurrency);
  const failures = createFailureLog(logger, options.failureLogWindowMs);
  // The database refusing the sink's claims and marks (down, locked): a line a window, as processing
  // logs it. Logged at each poll, a 15-second outage was 68 error lines with their stacks.
  const storeFailures = createOutageLog(
    logger,
    {
      first: "the host sink could not reach the database; adjustments wait in the outbox",
      more: (n, cause) => `${n} more host sink database operations failed; the last cause: ${cause}`,
      recovered: "the host sink reaches the database again",
    },
    options.failureLogWindowMs,
  );

  /** The operator's headers with the two the sink owns set, not merged: `Content-Type: text/plain` in `sink.headers` became "text/plain, application/json". */
  function headersFor(key: string): Headers {
    const headers = new Headers(options.headers);
    headers.set("content-type", "application/json");
    headers.set("idempotency-key", key);
    return headers;
  }

  async function deliver(item: OutboxItem): Promise<void> {
    const { adjustment } = item;
    try {
      const response = await fetch(options.url, {
        method: "POST",
        headers: headersFor(idempotencyKey(adjustment, item.keyWithTime)),
        body: JSON.stringify(adjustmentBody(adjustment, item.lineRestoredTotal)),
        signal: AbortSignal.timeout(options.timeoutMs),
        // A redirect is not a delivery: followed, fetch re-sent the POST as a bodiless GET and the
        // landing page's 200 marked the adjustment delivered. A 3xx is a failure like any non-2xx.
        redirect: "manual",
      });
      await response.body?.cancel();
      if (!response.ok) {
        // Retry-After means "come back then" on 429 and 503 only (on a 3xx it is a redirect's).
        const asked = response.status === 429 || response.status === 503 ? response.headers.get("retry-after") : null;
        throw new HostRefusal(response.status, retryAfterMs(asked, now()));
      }
    } catch (error) {
      await recordFailure(item, error);
      return;
    }
    // The host has it. A database that cannot record so is not the host failing: before, it was
    // counted and logged as a failed delivery, with the database's error as the row's last error.
    try {
      await store.markOutboxDelivered(adjustment.id, now());
      storeFailures.worked();
    } catch (storeError) {
      // Not recorded: the row stays claimed until its lease ends, then is sent again (same key).
      storeFailures.failed(storeError);
      return;
    }
    metrics.sinkDeliveries.inc({ result: "delivered" });
    failures.delivered();
  }

  async function recordFailure(item: OutboxItem, error: unknown): Promise<void> {
    const { adjustment } = item;
    const attempts = item.attempts + 1;
    const message = failureOf(error, options.timeoutMs);
    metrics.sinkDeliveries.inc({ result: "failed" });
    // A host that said when to come back (429, 503 with Retry-After) is not asked sooner, up to
    // retryMaxMs, the longest wait between attempts (rows are never scheduled further ahead).
    const backoff = backoffDelay(attempts, options.retryBaseMs, options.retryMaxMs);
    const asked = error instanceof HostRefusal ? error.retryAfterMs : undefined;
    const wait = asked === undefined ? backoff : Math.max(backoff, Math.min(asked, options.retryMaxMs));
    let recorded: boolean | undefined;
    try {
      recorded = await store.markOutboxFailed(item, message, now() + wait);
      storeFailures.worked();
    } catch (storeError) {
      // Not recorded: the row stays claimed until its lease ends, then is sent again (same key).
      storeFailures.failed(storeError);
    }
    failures.failed(
      { adjustmentId: adjustment.id, attempts, error: message },
      recorded === false
        ? // The row is no longer this claim's: its lease ran out and another claimer (or this
          // one, later) holds it, or it was delivered or skipped meanwhile.
          "adjustment delivery to the host failed after its claim ended (lease ran out, or delivered or skipped meanwhile); left as the row is now"
        : "adjustment delivery to the host failed; will retry",
    );
  }

  /** Claims up to `limit` rows and returns those a whole request still fits in under their lease. */
  async function claimSendable(limit: number): Promise<OutboxItem[]> {
    const claimedAt = now();
    // A row leased or scheduled further ahead than the sink ever sets came from a clock that ran ahead.
    const items = await store.claimOutbox(limit, claimedAt, leaseMs, Math.max(leaseMs, options.retryMaxMs) + CLOCK_AHEAD_MARGIN_MS);
    // The lease counts from before the claim: time the claim waited (a busy SQLite file, a pool or
    // lock wait on PostgreSQL) is gone from it. Send only what a whole request still fits in, with
    // the slack to record its answer; the rest is claimed again when its lease ends. Sent anyway,
    // a request could outlive its lease while another instance sent the same adjustment.
    const claimEnded = now();
    const sendable = items.filter((item) => item.leasedUntil - claimEnded >= options.timeoutMs + LEASE_SLACK_MS);
    if (sendable.length < items.length) {
      logger.warn(
        { claimMs: claimEnded - claimedAt, leaseMs, left: items.length - sendable.length },
        "the outbox claim took too long to send under its lease; its adjustments are claimed again when the lease ends",
      );
    }
    return sendable;
  }

  async function deliverBatch(): Promise<number> {
    const sendable = await claimSendable(perRound);
    // Settled, not Promise.all: a round ends when every request in it has (stop() waits for them).
    for (const result of await Promise.allSettled(sendable.map(deliver))) {
      if (result.status === "rejected") logger.error({ err: result.reason }, "adjustment delivery failed unexpectedly");
    }
    return sendable.length;
  }

  /**
   * Keeps up to `concurrency` requests in flight, claiming a row for each slot as it frees (each
   * row claimed only when it is sent, so its lease covers its one request). Rounds that waited for
   * all of their requests let one request that hung until timeoutMs idle the other slots: a host
   * hanging on 5% of requests got ~1.7 adjustments a second at the defaults.
   */
  async function run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (running) {
      woken = false;
      const free = options.concurrency - inFlight.size;
      let started = 0;
      if (free > 0) {
        try {
          const sendable = await claimSendable(Math.min(options.batchSize, free));
          storeFailures.worked();
          for (const item of sendable) {
            const delivery: Promise<void> = deliver(item)
              .catch((error: unknown) => logger.error({ err: error }, "adjustment delivery failed unexpectedly"))
              .finally(() => {
                inFlight.delete(delivery);
                // A free slot: claim for it now, not at the next poll.
                woken = true;
                wakeUp?.();
              });
            inFlight.add(delivery);
          }
          started = sendable.length;
        } catch (error) {
          storeFailures.failed(error);
        }
      }
      if (!running) break;
      // Rows came and slots are free (more may be due), or a slot freed or a wake-up came meanwhile.
      if ((started > 0 && inFlight.size < options.concurrency) || woken) continue;
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
      clearTimeout(timer);
      wakeUp = undefined;
    }
    // stop() waits for the requests in flight, whose answers are then recorded.
    await Promise.allSettled(inFlight);
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      failures.flush();
      storeFailures.flush();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    deliverBatch,
  };
}

/**
 * Why a delivery failed, in one line: fetch says only "fetch failed" and keeps the reason
 * (ECONNREFUSED, a DNS miss) in its cause, and for its timeout "The operation was aborted due to
 * timeout", which names neither the host nor the setting.
 */
function failureOf(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (name === "TimeoutError") return `the host did not answer within ${timeoutMs} ms (sink.timeoutMs)`;
  const reason = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : undefined;
  return reason ? `${String(message)}: ${reason}` : String(message);
}
