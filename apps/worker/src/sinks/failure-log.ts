import type { Logger } from "../ops/logger.js";
import { createWindowedLog } from "../ops/outage-log.js";

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
 * The sink's failure lines, at most one warning per window and a summary of the rest: a host that is
 * down fails every queued adjustment on every retry, and one line each was thousands of lines an hour
 * saying the same thing. A warning, not an error: each is retried. `restock_sink_deliveries_total{result="failed"}`
 * still counts every failure.
 */
export function createFailureLog(logger: Logger, windowMs?: number, now?: () => number): FailureLog {
  const log = createWindowedLog<DeliveryFailure>(
    logger,
    {
      level: "warn",
      fields: (failure) => failure,
      lastFields: (failure) => ({ last: failure }),
      more: (n, last) => `${n} more adjustment deliveries to the host failed (each will be retried); the last: ${last.error}`,
      recovered: "adjustment deliveries to the host go through again",
    },
    windowMs,
    now,
  );
  return { failed: log.failed, delivered: log.worked, flush: log.flush };
}
