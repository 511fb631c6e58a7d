import { closeSync, existsSync, fsyncSync, openSync, statSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";

/**
 * Copies a live SQLite database to `destination` with `VACUUM INTO`: one read transaction, so the
 * copy is the database as of one commit (every batch wholly in or wholly out), while workers go on
 * writing (WAL readers do not block writers). SQLite's online backup API was the other candidate; it
 * starts over whenever another connection writes, so under steady intake it might never finish.
 * The source is opened read-only: a backup neither migrates nor changes it. Returns the copy's size.
 */
export function backupSqliteDatabase(source: string, destination: string): number {
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`, "usage");
  if (existsSync(destination)) throw new BackupError(`${destination} already exists: back up to a new file`, "usage");
  const db = new BetterSqlite3(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma("busy_timeout = 10000");
    db.prepare("VACUUM INTO ?").run(destination);
  } catch (error) {
    throw new BackupError(`cannot write the backup to ${destination}: ${(error as Error).message}`, "failure");
  } finally {
    db.close();
  }
  // On disk before the command says so: VACUUM INTO writes the copy without syncing it.
  const fd = openSync(destination, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return statSync(destination).size;
}

export class BackupError extends Error {
  override readonly name = "BackupError";
  constructor(
    message: string,
    /** usage: the command was asked for something it cannot do; failure: copying failed. */
    readonly kind: "usage" | "failure",
  ) {
    super(message);
  }
}
