import pg from "pg";
import type { Logger } from "../../ops/logger.js";
import { INBOX_CHANNEL } from "./append-intake.js";
import { clientConfig } from "./connect.js";

export interface InboxListener {
  close(): Promise<void>;
}

/**
 * LISTENs on the inbox channel on a connection of its own and calls `onEvents` for every intake
 * commit, whichever worker made it. When the connection drops it reconnects with backoff and calls
 * `onEvents` once connected again (commits made meanwhile were not heard); processors also poll.
 */
export function listenToInbox(url: string, onEvents: () => void, logger: Logger): InboxListener {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  let timer: NodeJS.Timeout | undefined;

  function reconnectLater(): void {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  }

  function drop(dropped: pg.Client, error?: Error): void {
    if (client !== dropped) return;
    client = undefined;
    if (!closed) logger.warn({ err: error }, "inbox notifications lost their connection; reconnecting (processors keep polling)");
    dropped.end().catch(() => {});
    reconnectLater();
  }

  async function connect(): Promise<void> {
    const next = new pg.Client(clientConfig(url));
    next.on("notification", () => onEvents());
    next.on("error", (error) => drop(next, error));
    next.on("end", () => drop(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${INBOX_CHANNEL}`);
    } catch (error) {
      next.removeAllListeners("end");
      next.end().catch(() => {});
      if (!closed) logger.warn({ err: error }, "cannot listen for inbox notifications; retrying");
      reconnectLater();
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    retryMs = 250;
    onEvents();
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
