import Database from "better-sqlite3";

/** Runs SQL on a worker's SQLite file through a second connection: how a test breaks writes, as a full disk or a bad row would. */
export function execSql(file: string, statement: string): void {
  const db = new Database(file);
  try {
    db.exec(statement);
  } finally {
    db.close();
  }
}
