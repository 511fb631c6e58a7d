import type { Logger } from "../ops/logger.js";

export interface UnstoredLog {
  /** A delivery could not be stored (answered 503): logged at once when it is the first of a window, else counted. */
  refused(error: unknown): void;
  /** A delivery was stored: after refusals, one line a window says deliveries are stored again. */
  stored(): void;
  /** Logs what is still counted (on stop). */
  flush(): void;
}

/**
 * Intake's "could not be stored" lines: at most one error a window, with the error, and a summary
 * of the rest when the window ends. While the database is down every delivery is refused, and a
 * line each (with its stack) was 5,641 lines, 4 MB, in 5 s from 32 senders.
 * `restock_events_rejected_total{reason="store_unavailable"}` still counts every refusal, and
 * debug level still logs each.
 */
export function createUnstoredLog(logger: Logger, windowMs = 60_000, now: () => number = Date.now): UnstoredLog {
  let windowStart = Number.NEGATIVE_INFINITY;
  let held = 0;
  let lastCause = "";
  let refusing = false;
  // A database that fails part of the time flips between refusing and storing on every delivery:
  // one recovery line a window, not one per flip.
  let recoverySaid = false;
  // Ends the window on time, so its summary does not wait for the next refusal. Unref'd: a pending
  // summary does not keep the process alive.
  let windowEnd: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(windowEnd);
    windowEnd = undefined;
    if (held > 0) {
      logger.error(
        { refused: held, windowSeconds: windowMs / 1000, lastCause },
        `${held} more deliveries could not be stored and were answered 503; the last cause: ${lastCause}`,
      );
    }
    held = 0;
  }

  return {
    refused(error) {
      refusing = true;
      const at = now();
      if (at - windowStart >= windowMs) {
        flush();
        windowStart = at;
        recoverySaid = false;
        windowEnd = setTimeout(flush, windowMs).unref();
        logger.error(
          { err: error },
          `a delivery could not be stored; it was answered 503 (more in the next ${windowMs / 1000} s are summed up)`,
        );
        return;
      }
      held++;
      lastCause = error instanceof Error ? error.message : String(error);
      logger.debug({ err: error }, "a delivery could not be stored; it was answered 503");
    },
    stored() {
      if (!refusing) return;
      refusing = false;
      if (recoverySaid) return;
      recoverySaid = true;
      logger.info("deliveries are stored again");
    },
    flush,
  };
}
