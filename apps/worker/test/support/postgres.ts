import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

export interface TestDatabase {
  /** The new database's URL. */
  url: string;
  /** Drops it (terminating connections left open). */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = inject("postgresUrl");
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((error: Error) => {
    throw new Error(
      `cannot reach the test PostgreSQL server at ${url}: ${error.message}. Start one with \`node scripts/pg-test-cluster.mjs start\` ` +
        "at the repository root, or set RESTOCK_TEST_DATABASE_URL to a server whose user may CREATE DATABASE.",
    );
  });
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database `restock_test_<random>` on the test server, so that tests are independent. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `restock_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(inject("postgresUrl"));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
