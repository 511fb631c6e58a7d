import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, rmSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";

/**
 * Copies a live SQLite database to `destination` with `VACUUM INTO`: one read transaction, so the
 * copy is the database as of one commit (every batch wholly in or wholly out), while workers go on
 * writing (WAL readers do not block writers). SQLite's online backup API was the other candidate: in
 * steps it starts over whenever another connection writes, and in one step it holds the source's
 * lock for the whole copy. The source is opened read-only and never migrated; like any connection
 * to a WAL database it may create the `-wal` and `-shm` files beside it when no worker has them
 * open, so run it as the worker's user. Returns the copy's size in bytes.
 */
export function backupSqliteDatabase(source: string, destination: string): number {
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`, "usage");
  if (statSync(source).isDirectory()) throw new BackupError(`${source} is a directory, not a database file`, "usage");
  if (existsSync(destination)) throw new BackupError(`${destination} already exists: back up to a new file`, "usage");
  // Said plainly: SQLite's own message named the temporary file it could not create instead.
  const folder = dirname(destination);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new BackupError(`the folder of ${destination} does not exist: create it first`, "usage");
  }
  const db = openSource(source);
  removeKilledRunsCopies(folder);
  // Written under a temporary name beside the destination and linked to it only once complete and
  // on disk, so a failed or killed run never leaves a partial copy under the backup's name.
  const partial = join(folder, `.${basename(destination)}.${process.pid}.partial`);
  try {
    // The copy is written with the connection's synchronous setting: FULL syncs it as it is written.
    db.pragma("synchronous = FULL");
    db.prepare("VACUUM INTO ?").run(partial);
  } catch (error) {
    removeCopy(partial);
    throw new BackupError(`backing up ${source} to ${destination} failed: ${messageOf(error)}`, "failure");
  } finally {
    db.close();
  }
  try {
    fsyncPath(partial);
    // link, not rename: it fails if the destination appeared meanwhile, so nothing is overwritten.
    linkSync(partial, destination);
    unlinkSync(partial);
    fsyncPath(dirname(destination));
  } catch (error) {
    removeCopy(partial);
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new BackupError(`${destination} already exists: back up to a new file`, "usage");
    }
    throw new BackupError(`backing up ${source} to ${destination} failed: ${messageOf(error)}`, "failure");
  }
  return statSync(destination).size;
}

/** The source, read-only, after checking it is a restock database (an empty or foreign file is refused). */
function openSource(source: string): BetterSqlite3.Database {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
    const isRestock = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (isRestock) return db;
  } catch (error) {
    db?.close();
    // A --db naming the wrong file (its -wal, a text file) is a usage error, as an empty file is below.
    if ((error as { code?: unknown }).code === "SQLITE_NOTADB") {
      throw new BackupError(`${source} is not a restock database (not a SQLite file)`, "usage");
    }
    throw new BackupError(`cannot read the database at ${source}: ${messageOf(error)}`, "failure");
  }
  db.close();
  throw new BackupError(`${source} is not a restock database (no schema_migrations table)`, "usage");
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A run's temporary copy (and its journal): `.<backup name>.<pid>.partial`. */
const PARTIAL_COPY = /^\..+\.\d+\.partial(-journal)?$/;

/**
 * How long a temporary copy has gone unwritten before it is taken as a killed run's. A run writes
 * its copy as it goes, so one still going is never that old. Not the pid in its name: another
 * container or host backing up into the same folder has pids this process cannot see (its live copy
 * was removed), and a run that was its container's pid 1 never looks dead.
 */
const KILLED_RUN_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Removes the temporary copies runs that were killed (SIGKILL, an OOM kill, a cron timeout) left in
 * `folder`: nothing of theirs ran to remove them, and a nightly job's names change every night, so
 * they piled up, each as large as the database.
 */
function removeKilledRunsCopies(folder: string, now = Date.now()): void {
  for (const name of readdirSync(folder)) {
    if (!PARTIAL_COPY.test(name)) continue;
    const path = join(folder, name);
    try {
      if (now - statSync(path).mtimeMs > KILLED_RUN_AFTER_MS) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile (its run finished), or not ours to remove: left as it is.
    }
  }
}

function removeCopy(partial: string): void {
  for (const file of [partial, `${partial}-journal`]) rmSync(file, { force: true });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class BackupError extends Error {
  override readonly name = "BackupError";
  constructor(
    message: string,
    /** usage: the command was asked for something it cannot do; failure: reading or copying failed. */
    readonly kind: "usage" | "failure",
  ) {
    super(message);
  }
}
