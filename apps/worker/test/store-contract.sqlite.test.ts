import { join } from "node:path";
import Database from "better-sqlite3";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { tempDir } from "./helpers/temp-dir.js";
import { registerStoreContract } from "./support/store-contract.js";

const dir = tempDir("restock-contract-");
let databases = 0;

// A database file per test; `open` opens it again as a restarted worker would.
registerStoreContract("SQLite", async () => {
  const path = join(dir, `store-${++databases}.db`);
  return {
    kind: "sqlite",
    open: async () => openSqliteStore({ path }),
    dispose: async () => {},
    execute: async (sql) => {
      const db = new Database(path);
      try {
        db.exec(sql);
      } finally {
        db.close();
      }
    },
    count: async (from) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare<[], number>(`SELECT COUNT(*) FROM ${from}`).pluck().get()!;
      } finally {
        db.close();
      }
    },
  };
});
