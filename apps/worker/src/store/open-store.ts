import { statSync } from "node:fs";
import { ConfigError, configOrigin } from "../config/load-config.js";
import type { WorkerConfig } from "../config/schema.js";
import type { Logger } from "../ops/logger.js";
import { redactUrl } from "./postgres/connect.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";
import { openSqliteStore } from "./sqlite/open-sqlite-store.js";
import type { Store } from "./store.js";

/** `databaseUrl` (DATABASE_URL) selects the PostgreSQL store that many workers share; otherwise SQLite at `dbPath`. */
export function openStore(config: WorkerConfig, logger: Logger): Promise<Store> {
  if (config.databaseUrl)
    return openPostgresStore({
      url: config.databaseUrl,
      writeTimeoutMs: config.writeTimeoutMs,
      processingTimeoutMs: config.processing.timeoutMs,
      logger: logger.child({ component: "store" }),
    });
  try {
    return Promise.resolve(openSqliteStore({ path: config.dbPath, busyTimeoutMs: config.writeTimeoutMs }));
  } catch (error) {
    if (!isPathError(error)) throw error;
    throw new ConfigError(
      `cannot open the SQLite database ${config.dbPath} (${dbPathSource(config)}): ${pathProblem(config.dbPath, error)}`,
    );
  }
}

/** Which database the worker uses, for logs and banners (never the password). */
export function databaseLabel(config: WorkerConfig): string {
  return config.databaseUrl ? redactUrl(config.databaseUrl) : config.dbPath;
}

/**
 * Errors that come from the path rather than the database: its folder cannot be created (fs errors
 * from mkdir), or SQLite cannot open, write or recognise the file there. Others (a schema newer than
 * this worker, ...) keep their own messages.
 */
function isPathError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code !== "string") return false;
  return typeof syscall === "string" || /^SQLITE_(CANTOPEN|NOTADB|PERM|READONLY|AUTH)(_|$)/.test(code);
}

/** Where dbPath came from, in the words of the option that set it. */
function dbPathSource(config: WorkerConfig): string {
  const origin = configOrigin(config, "dbPath");
  if (origin === undefined) return "dbPath: RESTOCK_DB or --db";
  if (origin === "default") return "dbPath, the default: set RESTOCK_DB or --db";
  // configFrom sets dbPath from --db, the only flag for it.
  return `dbPath, from ${origin === "command line" ? "--db" : origin}`;
}

function pathProblem(path: string, error: Error & { code: string }): string {
  try {
    if (statSync(path).isDirectory()) return "it is a directory, not a database file";
  } catch {
    // Missing or unreadable: SQLite's or the file system's message says which.
  }
  if (error.code.startsWith("SQLITE_")) return `${error.message} (${error.code})`;
  return (error as { syscall?: unknown }).syscall === "mkdir" ? `cannot create its folder: ${error.message}` : error.message;
}
