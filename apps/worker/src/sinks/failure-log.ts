import type { Logger } from "../ops/logger.js";

export interface DeliveryFailure {
  adjustmentId: number;
  attempts: number;
  error: string;
}

export interface FailureLog {
  /**
   * A delivery failed: logged at once when it is the first of a window, else counted (and logged at
   * debug) and summed up when the window ends.
   */
  failed(failure: DeliveryFailure, message: string): void;
  /** A delivery succeeded: ends a run of failures with its summary and a line saying deliveries go through again. */
  delivered(): void;
  /** Logs what is still counted (on stop). */
  flush(): void;
}

/**
 * The sink's failure lines, at most one warning per window and a summary of the rest. A host that is
 * down fails every queued adjustment on every retry: one line each was thousands of lines an hour
 * saying the same thing, burying the rest of the log. `restock_sink_deliveries_total{result="failed"}`
 * still counts every failure, and debug level still logs each.
 */
export function createFailureLog(
  logger: Logger,
  windowMs = 60_000,
  // A clock that only goes forward, as the outage log's (../ops/outage-log.ts): set back, the wall
  // clock kept a window from ever ending.
  now: () => number = () => performance.now(),
): FailureLog {
  let windowStart = Number.NEGATIVE_INFINITY;
  let held = 0;
  let last: DeliveryFailure | undefined;
  let failing = false;
  // Whether this window has said deliveries go through again: a host failing part of the time (one
  // of two backends down) flips between failure and success on every delivery, and a line for each
  // flip was the flood the window exists to stop.
  let recoverySaid = false;
  // A success after the window's recovery line, with failures held since: said after their summary,
  // so the log does not end on failures while deliveries go through.
  let recoveryOwed = false;
  // Ends the window on time: without it, the summary of a window's last failures waited for the next
  // failure, which the retries' backoff puts off by up to sink.retryMaxMs (5 minutes by default, a
  // day at most), so an operator reading the log saw one failure while many more had happened.
  // Unref'd: a pending summary does not keep the process alive.
  let windowEnd: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(windowEnd);
    windowEnd = undefined;
    if (held > 0) {
      logger.warn(
        { failed: held, windowSeconds: windowMs / 1000, last },
        `${held} more adjustment deliveries to the host failed (each will be retried); the last: ${last!.error}`,
      );
    }
    held = 0;
    last = undefined;
    if (recoveryOwed && !failing) logger.info("adjustment deliveries to the host go through again");
    recoveryOwed = false;
  }

  return {
    failed(failure, message) {
      failing = true;
      const at = now();
      if (at - windowStart >= windowMs || at < windowStart) {
        flush();
        windowStart = at;
        recoverySaid = false;
        logger.warn(failure, message);
        return;
      }
      held += 1;
      last = failure;
      windowEnd ??= setTimeout(flush, windowStart + windowMs - at).unref();
      logger.debug(failure, message);
    },
    delivered() {
      if (!failing) return;
      failing = false;
      // Said once a window: failures after it in the same window are summed up when it ends; the
      // first failure of the next window is logged at once, and its first success said again.
      if (recoverySaid && now() - windowStart < windowMs) {
        recoveryOwed = held > 0;
        return;
      }
      recoverySaid = true;
      flush();
      logger.info("adjustment deliveries to the host go through again");
    },
    flush,
  };
}
