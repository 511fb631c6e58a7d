import type { Database } from "better-sqlite3";
import { type AppliedMigration, checkAppliedMigrations, refuseNewerSchema, SchemaVersionError } from "../schema-version.js";
import { migrations } from "./migrations.js";

export { SchemaVersionError };

/** Applies the migrations this database has not seen yet; returns the versions applied. */
export function migrate(db: Database, now = Date.now()): number[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  const selectVersion = db.prepare<[], { version: number | null }>("SELECT MAX(version) AS version FROM schema_migrations");
  const current = checkAppliedMigrations(db.prepare<[], AppliedMigration>("SELECT version, name FROM schema_migrations").all(), migrations);
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const isApplied = db.prepare<[number], { found: number }>("SELECT 1 AS found FROM schema_migrations WHERE version = ?");
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // Checked again under the write lock: two processes starting on one file at once (serve and a
    // cron's prune) both read the old version above, and the second failed to start on "table
    // already exists" after the first had applied the migration; and a newer worker may have
    // upgraded the file meanwhile, which this one must not run on.
    const ran = db
      .transaction(() => {
        refuseNewerSchema(selectVersion.get()!.version ?? 0, migrations);
        if (isApplied.get(migration.version)) return false;
        db.exec(migration.sql);
        record.run(migration.version, migration.name, now);
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
