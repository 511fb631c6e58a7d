import type { Migration } from "./sqlite/migrations.js";

/** A database this worker must not run on: migrated by a newer or a different build. */
export class SchemaVersionError extends Error {
  override readonly name = "SchemaVersionError";
}

export interface AppliedMigration {
  version: number;
  name: string;
}

/**
 * Refuses a database whose applied migrations are not this worker's own up to the version it has
 * reached: one applied under another name was written by a different build (a migration edited
 * after it ran, or a branch's), and one of ours missing below that version would never run, since
 * the migrator starts after the highest applied. Either way the schema is not the one this code
 * reads and writes, and running on it would fail later, on a webhook, instead of now. Returns the
 * database's version: the highest applied.
 */
export function checkAppliedMigrations(applied: readonly AppliedMigration[], migrations: readonly Migration[]): number {
  const current = applied.reduce((highest, row) => Math.max(highest, row.version), 0);
  refuseNewerSchema(current, migrations);
  const appliedNames = new Map(applied.map((row) => [row.version, row.name]));
  for (const migration of migrations) {
    if (migration.version > current) break;
    const name = appliedNames.get(migration.version);
    if (name === undefined) {
      throw new SchemaVersionError(
        `database schema version ${current} lacks migration ${migration.version} ("${migration.name}"): ` +
          "it was not made by this worker's migrations; open it with the build that made it, or restore a backup",
      );
    }
    if (name !== migration.name) {
      throw new SchemaVersionError(
        `database migration ${migration.version} was applied as "${name}", this worker's is "${migration.name}": ` +
          "the database was migrated by a different build; open it with that build, or restore a backup",
      );
    }
  }
  return current;
}

/** Refuses a database a newer worker has migrated: this one's code does not know its schema. */
export function refuseNewerSchema(version: number, migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (version > latest) {
    throw new SchemaVersionError(`database schema version ${version} is newer than this worker's (${latest}): upgrade the worker`);
  }
}
