import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
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
        body: JSON.stringify(adjustmentBody(adjustment)),
        signal: AbortSignal.timeout(options.timeoutMs),
        // A redirect is not a delivery: followed, fetch re-sent the POST as a bodiless GET and the
        // landing page's 200 marked the adjustment delivered. A 3xx is a failure like any non-2xx.
        redirect: "manual",
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`host answered ${response.status}`);
      await store.markOutboxDelivered(adjustment.id, now());
      metrics.sinkDeliveries.inc({ result: "delivered" });
      failures.delivered();
    } catch (error) {
      const attempts = item.attempts + 1;
      const message = failureOf(error, options.timeoutMs);
      metrics.sinkDeliveries.inc({ result: "failed" });
      let recorded: boolean | undefined;
      try {
        recorded = await store.markOutboxFailed(item, message, now() + backoffDelay(attempts, options.retryBaseMs, options.retryMaxMs));
      } catch (storeError) {
        // Not recorded: the row stays claimed until its lease ends, then is sent again (same key).
        logger.error(
          { err: storeError, adjustmentId: adjustment.id },
          "could not record a failed delivery; it is sent again when its claim runs out",
        );
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
  }

  async function deliverBatch(): Promise<number> {
    const claimedAt = now();
    // A row leased or scheduled further ahead than the sink ever sets came from a clock that ran ahead.
    const items = await store.claimOutbox(perRound, claimedAt, leaseMs, Math.max(leaseMs, options.retryMaxMs) + CLOCK_AHEAD_MARGIN_MS);
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
    // Settled, not Promise.all: a round ends when every request in it has (stop() waits for them).
    for (const result of await Promise.allSettled(sendable.map(deliver))) {
      if (result.status === "rejected") logger.error({ err: result.reason }, "adjustment delivery failed unexpectedly");
    }
    return sendable.length;
  }

  async function run(): Promise<void> {
    while (running) {
      woken = false;
      let tried = 0;
      try {
        tried = await deliverBatch();
      } catch (error) {
        logger.error({ err: error }, "host sink round failed");
      }
      if (!running) break;
      if (tried > 0 || woken) {
        continue;
      }
      await new Promise<void>((resolve) => {
        wakeUp = resolve;
        timer = setTimeout(resolve, options.pollMs);
      });
      clearTimeout(timer);
      wakeUp = undefined;
    }
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
