import pg from "pg";

/** Every BIGINT the store reads is an id, a time in ms or a quantity: all below 2^53, so plain numbers. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

export interface ConnectionOptions {
  url: string;
  /** Pooled connections per worker process (default 10). */
  poolSize?: number;
}

/** Connection settings shared by the pool and the LISTEN connection. */
export function clientConfig(url: string): pg.ClientConfig {
  return {
    connectionString: url,
    types,
    application_name: "restock-worker",
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    // A worker that hangs inside a batch loses its claim (its locks) instead of holding it for ever.
    idle_in_transaction_session_timeout: 60_000,
  };
}

export function createPool(options: ConnectionOptions): pg.Pool {
  return new pg.Pool({ ...clientConfig(options.url), max: options.poolSize ?? 10 });
}

/** Runs `work` in one READ COMMITTED transaction on a pooled connection; rolls back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's: a connection that dies between two queries
  // (a database restart, idle_in_transaction_session_timeout) emits 'error', which unheard ends the
  // process. Heard here, the next query fails, the transaction throws and the batch is retried.
  const lost = (error: Error) => {
    broken = error;
  };
  client.on("error", lost);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      // The connection is gone (the server rolls back on its own): do not hand it out again.
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off("error", lost);
    client.release(broken);
  }
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable database URL)";
  }
}
