/**
 * How long a probe or a scrape waits for the database. A database that hangs (no answer, no reset:
 * a network partition) must not hang them: /readyz then answers 503, and a scrape's gauges are NaN
 * with restock_store_up 0, well inside Prometheus's default 10 s scrape timeout.
 */
const STORE_READ_TIMEOUT_MS = 2_000;

/** Thrown for a read that did not answer within its time. */
class StoreReadTimeout extends Error {
  override readonly name = "StoreReadTimeout";
  constructor(ms: number) {
    super(`the database did not answer within ${ms} ms`);
  }
}

/** `read()`, or a StoreReadTimeout once STORE_READ_TIMEOUT_MS have passed (the read itself goes on). */
export async function readInTime<T>(read: () => Promise<T>, ms = STORE_READ_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreReadTimeout(ms)), ms);
  });
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
