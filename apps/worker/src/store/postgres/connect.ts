import pg from "pg";
import { DEFAULT_WRITE_TIMEOUT_MS } from "../types.js";

/** Every BIGINT the store reads is an id, a time in ms or a quantity: all below 2^53, so plain numbers. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export interface ConnectionOptions {
  url: string;
  /** Pooled connections per worker process (default 10). */
  poolSize?: number;
  /**
   * How long a delivery's database work may take (the worker's `writeTimeoutMs`; default 10 s):
   * waiting for a pooled connection is bounded by twice this too, at most 10 s.
   */
  writeTimeoutMs?: number;
  /** Bounds each processing batch's transaction (inTransaction's timeoutMs; default 60 s). */
  processingTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Connection settings shared by the pool and the LISTEN connection. */
export function clientConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    types,
    application_name: "restock-worker",
    keepAlive: true,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A worker that hangs inside a batch loses its claim (its locks) instead of holding it for ever.
    idle_in_transaction_session_timeout: 60_000,
  };
}

export function createPool(options: ConnectionOptions): pg.Pool {
  const connectTimeoutMs = Math.min(CONNECT_TIMEOUT_MS, 2 * (options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS));
  return new pg.Pool({ ...clientConfig(options.url), connectionTimeoutMillis: connectTimeoutMs, max: options.poolSize ?? 10 });
}

/** SQLSTATE read_only_sql_transaction. */
export const READ_ONLY_TRANSACTION = "25006";

export interface TransactionOptions {
  /**
   * A bound on the transaction: each statement is cancelled by the server after this long (a lock
   * held elsewhere, a slow disk), and if the server does not answer at all (a network partition, a
   * stopped server) the transaction fails after twice this long and its connection is dropped.
   */
  timeoutMs?: number;
}

/** Runs `work` in one READ COMMITTED transaction on a pooled connection; rolls back when it throws. */
export function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const { timeoutMs } = options;
  if (timeoutMs === undefined) return runTransaction(pool, work, "BEGIN");
  // The server cancels a statement that waits too long (57014) and the transaction rolls back there,
  // releasing every lock it held; the deadline is for a server that cannot say so.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(Object.assign(new Error(`the database did not answer within ${2 * timeoutMs} ms`), { code: "ETIMEDOUT" })),
    2 * timeoutMs,
  );
  const transaction = runTransaction(pool, work, `BEGIN; SET LOCAL statement_timeout = ${Math.ceil(timeoutMs)}`, deadline.signal);
  const gaveUp = new Promise<never>((_, reject) => deadline.signal.addEventListener("abort", () => reject(deadline.signal.reason)));
  return Promise.race([transaction, gaveUp]).finally(() => clearTimeout(timer));
}

async function runTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  begin: string,
  deadline?: AbortSignal,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    client.off("error", lost);
    deadline?.removeEventListener("abort", giveUp);
    client.release(broken);
  };
  // A checked-out client has no listener of the pool's: a connection that dies between two queries
  // (a database restart, idle_in_transaction_session_timeout) emits 'error', which unheard ends the
  // process. Heard here, the next query fails, the transaction throws and the batch is retried.
  const lost = (error: Error) => {
    broken = error;
  };
  // Given up on by the caller's deadline: the pool ends this connection (the server ends its
  // transaction with it) and never hands it out again; the queries still waiting fail as it closes.
  const giveUp = () => {
    broken ??= deadline?.reason as Error;
    release();
  };
  client.on("error", lost);
  if (deadline?.aborted) {
    // The deadline passed while waiting for a connection: this one is sound, back to the pool unused.
    release();
    throw deadline.reason;
  }
  deadline?.addEventListener("abort", giveUp, { once: true });
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (!released) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        // The connection is gone (the server rolls back on its own): do not hand it out again.
        broken = rollbackError;
      });
    }
    // A read-only transaction (25006): the session's default was read-only when it connected (a
    // standby, default_transaction_read_only), and stays so for the connection's life. Kept, it
    // refused writes for good after the database took them again: the pool opens a new one.
    if ((error as { code?: unknown }).code === READ_ONLY_TRANSACTION) broken ??= error as Error;
    throw error;
  } finally {
    release();
  }
}

/**
 * Query parameters of a connection string that hold secrets: pg reads every parameter as a
 * connection setting, so `?password=` is the password as much as the URL's userinfo is, and
 * `sslpassword` unlocks the client key.
 */
const SECRET_PARAMETERS = new Set(["password", "sslpassword"]);

/** The URL without its password (in the userinfo, or a password parameter), for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of new Set(parsed.searchParams.keys())) {
      if (SECRET_PARAMETERS.has(name.toLowerCase())) parsed.searchParams.set(name, "***");
    }
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
