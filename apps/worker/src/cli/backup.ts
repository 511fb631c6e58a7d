import { resolve } from "node:path";
import type { Command } from "commander";
import { BackupError, backupSqliteDatabase } from "../store/sqlite/backup-database.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, configFrom, withConfigOptions } from "./config-options.js";
import { printLines } from "./open-worker.js";

/** `restock backup <file>`: a consistent copy of the SQLite database, taken while the worker runs. */
export function backupCommand(program: Command): void {
  withConfigOptions(
    program
      .command("backup <file>")
      .description("copy the SQLite database to a new file while workers keep running (PostgreSQL: use pg_dump)"),
  ).action(async (file: string, flags: ConfigFlags) => {
    const config = configFrom(flags);
    if (config.databaseUrl) throw new CliError("restock backup copies a SQLite database; for PostgreSQL use pg_dump", EXIT.usage);
    if (config.dbPath === ":memory:") throw new CliError("an in-memory database has nothing to back up", EXIT.usage);
    const destination = resolve(file);
    try {
      const bytes = backupSqliteDatabase(resolve(config.dbPath), destination);
      printLines([{ backup: destination, bytes }]);
    } catch (error) {
      if (error instanceof BackupError) throw new CliError(error.message, error.kind === "usage" ? EXIT.usage : EXIT.failure);
      throw error;
    }
  });
}
