import type pg from "pg";
import { type AppliedMigration, checkAppliedMigrations } from "../schema-version.js";
import { inTransaction } from "./connect.js";
import { MIGRATION_LOCK } from "./locks.js";
import { migrations } from "./migrations.js";

/**
 * Applies the migrations this database has not seen yet, in ONE transaction under an advisory lock:
 * workers starting at once wait for the first one, then find nothing left to do. PostgreSQL DDL is
 * transactional, so a failed upgrade leaves the previous schema intact. Returns the versions applied.
 */
export async function migrate(pool: pg.Pool, now = Date.now()): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...MIGRATION_LOCK]);
    // Created only when missing: even IF NOT EXISTS needs CREATE on the schema (PostgreSQL 15+ grants
    // none by default), which a worker with only the table grants the docs list does not have.
    const { rows: existing } = await client.query<{ found: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS found");
    if (!existing[0]?.found) {
      await client.query("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    }
    const { rows: appliedRows } = await client.query<AppliedMigration>("SELECT version, name FROM schema_migrations");
    const current = checkAppliedMigrations(appliedRows, migrations);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        now,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
