import pg from "pg";
import { createLogger } from "../../src/ops/logger.js";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { createTestDatabase } from "../support/postgres.js";
import { registerStoreContract } from "../support/store-contract.js";

const logger = createLogger("silent");

// A database of its own per test (CREATE DATABASE restock_test_<random>), dropped afterwards.
registerStoreContract("PostgreSQL", async () => {
  const database = await createTestDatabase();
  return {
    kind: "postgres",
    open: () => openPostgresStore({ url: database.url, logger }),
    dispose: () => database.drop(),
    execute: async (sql) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
    count: async (from) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${from}`)).rows[0]!.n);
      } finally {
        await client.end();
      }
    },
  };
});
