import type { Logger } from "./logger.js";

/** A failure that repeats, logged a line a window: see createWindowedLog. */
export interface WindowedLog<F> {
  /** It failed: logged at once when it is the first of a window, else counted (and logged at debug) and summed up when the window ends. */
  failed(failure: F, message: string): void;
  /** It worked: after failures, their summary and, once a window, a line saying so. */
  worked(): void;
  /** Logs what is still counted (on stop). */
  flush(): void;
}

export interface WindowedLogLines<F> {
  /** Of a window's first failure and of its summary (every failure is also logged at debug). */
  level: "warn" | "error";
  /** What a failure's own line carries. */
  fields: (failure: F) => object;
  /** What the summary carries of the window's last failure. */
  lastFields: (last: F) => object;
  /** The summary's message: `n` more failures, `last` the last of them. */
  more: (n: number, last: F) => string;
  /** Said once it works again. */
  recovered: string;
  /** A window's first line, from its failure's message; the message as it is by default. */
  first?: (message: string, windowSeconds: number) => string;
}

/**
 * A failure that repeats while something is down (a database refusing every delivery, a host
 * failing every queued adjustment on every retry) as at most one line a window, a summary of the
 * rest when the window ends, and one line a window once it works again: a line each was 5,641 lines
 * (4 MB) in 5 s from 32 senders, burying the rest of the log. Counters still count every failure,
 * and debug level still logs each.
 */
export function createWindowedLog<F>(
  logger: Logger,
  lines: WindowedLogLines<F>,
  windowMs = 60_000,
  // A clock that only goes forward: with the wall clock set back (NTP), a window never ended and
  // every later failure went to debug only.
  now: () => number = () => performance.now(),
): WindowedLog<F> {
  let windowStart = Number.NEGATIVE_INFINITY;
  let held = 0;
  let last: F | undefined;
  let failing = false;
  // Something failing part of the time (one of two backends down) flips between failing and working
  // on every call, and a line for each flip was the flood the window exists to stop.
  let recoverySaid = false;
  // A success after the window's recovery line, with failures held since: said after their summary,
  // so the log does not end on failures while it works.
  let recoveryOwed = false;
  // Ends the window on time: without it, the summary of a window's last failures waited for the next
  // failure, which a retry's backoff can put off (the sink's by up to sink.retryMaxMs: 5 minutes by
  // default, a day at most), so the log showed one failure while many more had happened. Unref'd: a
  // pending summary does not keep the process alive.
  let windowEnd: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(windowEnd);
    windowEnd = undefined;
    if (held > 0) {
      logger[lines.level]({ failed: held, windowSeconds: windowMs / 1000, ...lines.lastFields(last!) }, lines.more(held, last!));
    }
    held = 0;
    last = undefined;
    if (recoveryOwed && !failing) logger.info(lines.recovered);
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
        logger[lines.level](lines.fields(failure), lines.first ? lines.first(message, windowMs / 1000) : message);
        return;
      }
      held += 1;
      last = failure;
      windowEnd ??= setTimeout(flush, windowStart + windowMs - at).unref();
      logger.debug(lines.fields(failure), message);
    },
    worked() {
      if (!failing) return;
      failing = false;
      // Said once a window: failures after it in the same window are summed up when it ends; the
      // first failure of the next window is logged at once, and its first success said again.
      if (recoverySaid && now() - windowStart < windowMs) {
        recoveryOwed = held > 0;
        return;
      }
      recoverySaid = true;
      // The summary first: said after the recovery line, it read as a new outage.
      flush();
      logger.info(lines.recovered);
    },
    flush,
  };
}

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
  /** Of the first failure and the summary; error by default. */
  level?: "warn" | "error";
}

/** The windowed log of a database that is down (every delivery refused, every processing poll failed), at error level (by default) with each error. */
export function createOutageLog(logger: Logger, messages: OutageMessages, windowMs?: number, now?: () => number): OutageLog {
  const log = createWindowedLog<unknown>(
    logger,
    {
      level: messages.level ?? "error",
      fields: (error) => ({ err: error }),
      lastFields: (error) => ({ lastCause: causeOf(error) }),
      more: (n, error) => messages.more(n, causeOf(error)),
      recovered: messages.recovered,
      first: (message, windowSeconds) => `${message} (more in the next ${windowSeconds} s are summed up)`,
    },
    windowMs,
    now,
  );
  return { failed: (error) => log.failed(error, messages.first), worked: log.worked, flush: log.flush };
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
