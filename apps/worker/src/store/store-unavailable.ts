/**
 * Whether a store error means "the database cannot be reached or cannot take the write now" (a
 * delivery then gets 503 and is sent again), rather than a fault that retrying will not mend (a
 * missing privilege, a bug), which stays a 500 and is logged as such.
 */
export function isStoreUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    // PostgreSQL SQLSTATE: connection exceptions (08), insufficient resources (53), the server
    // shutting down or restarting (57P01-57P03), serialization failures and deadlocks (40001,
    // 40P01), a lock not available (55P03), idle-in-transaction timeout (25P03), a statement
    // cancelled (57014: the intake's statement_timeout, or an administrator's pg_cancel_backend), a
    // database that takes no writes (25006: a failover left the URL on a standby, or
    // default_transaction_read_only).
    if (/^(08|53)/.test(code) || /^57P0[1-3]$/.test(code) || ["40001", "40P01", "55P03", "25P03", "57014", "25006"].includes(code)) {
      return true;
    }
    // Node's socket errors, for a server that is down or unreachable.
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN"].includes(code)) {
      return true;
    }
    // SQLite: the write lock held past the busy timeout, a full disk, an I/O error.
    if (/^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN)/.test(code)) return true;
  }
  if (typeof message !== "string") return false;
  // node-postgres: the connection went away, none could be made in time, or a query's answer did not come in time.
  return (
    /^Connection terminated|not queryable|timeout exceeded when trying to connect|^Query read timeout$/.test(message) ||
    // better-sqlite3: the store's connection is closed.
    message === "The database connection is not open"
  );
}
