import type { WorkerConfig } from "../config/schema.js";
import type { Logger } from "../ops/logger.js";
import { redactUrl } from "./postgres/connect.js";
import { openPostgresStore } from "./postgres/open-postgres-store.js";
import { openSqliteStore } from "./sqlite/open-sqlite-store.js";
import type { Store } from "./store.js";

/** `databaseUrl` (DATABASE_URL) selects the PostgreSQL store that many workers share; otherwise SQLite at `dbPath`. */
export function openStore(config: WorkerConfig, logger: Logger): Promise<Store> {
  if (config.databaseUrl) return openPostgresStore({ url: config.databaseUrl, logger: logger.child({ component: "store" }) });
  return Promise.resolve(openSqliteStore({ path: config.dbPath }));
}

/** Which database the worker uses, for logs and banners (never the password). */
export function databaseLabel(config: WorkerConfig): string {
  return config.databaseUrl ? redactUrl(config.databaseUrl) : config.dbPath;
}
