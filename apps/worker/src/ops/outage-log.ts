import type { Logger } from "./logger.js";

export interface OutageLog {
  /** It failed: logged at once, with the error, when it is the first of a window, else counted. */
  failed(error: unknown): void;
  /** It worked: after failures, one line a window says so. */
  worked(): void;
  /** Logs what is still counted (on stop). */
  flush(): void;
}

export interface OutageMessages {
  /** The first failure of a window (its error goes with it). */
  first: string;
  /** The window's other failures, summed up: `n` of them, the last one's error message. */
  more: (n: number, lastCause: string) => string;
  /** Once it works again. */
  recovered: string;
}

/**
 * A failure that repeats while a database is down (every delivery refused, every processing poll
 * failed) as at most one error a window, with its error, and a summary of the rest when the window
 * ends: a line each, with its stack, was 5,641 lines (4 MB) in 5 s from 32 senders, burying the rest
 * of the log. Counters still count every failure, and debug level still logs each.
 */
export function createOutageLog(
  logger: Logger,
  messages: OutageMessages,
  windowMs = 60_000,
  // A clock that only goes forward: with the wall clock set back (NTP), a window never ended and
  // every later failure went to debug only.
  now: () => number = () => performance.now(),
): OutageLog {
  let windowStart = Number.NEGATIVE_INFINITY;
  let held = 0;
  let lastCause = "";
  let failing = false;
  // Something that fails part of the time flips between failing and working on every call: one
  // recovery line a window, not one per flip.
  let recoverySaid = false;
  // Ends the window on time, so its summary does not wait for the next failure. Unref'd: a pending
  // summary does not keep the process alive.
  let windowEnd: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(windowEnd);
    windowEnd = undefined;
    if (held > 0) logger.error({ failed: held, windowSeconds: windowMs / 1000, lastCause }, messages.more(held, lastCause));
    held = 0;
  }

  return {
    failed(error) {
      failing = true;
      const at = now();
      if (at - windowStart >= windowMs || at < windowStart) {
        flush();
        windowStart = at;
        recoverySaid = false;
        windowEnd = setTimeout(flush, windowMs).unref();
        logger.error({ err: error }, `${messages.first} (more in the next ${windowMs / 1000} s are summed up)`);
        return;
      }
      held++;
      lastCause = error instanceof Error ? error.message : String(error);
      logger.debug({ err: error }, messages.first);
    },
    worked() {
      if (!failing) return;
      failing = false;
      if (recoverySaid) return;
      recoverySaid = true;
      logger.info(messages.recovered);
    },
    flush,
  };
}
