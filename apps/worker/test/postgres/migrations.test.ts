import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { createLogger } from "../../src/ops/logger.js";
import { migrations } from "../../src/store/postgres/migrations.js";
import { DatabaseConnectError, openPostgresStore } from "../../src/store/postgres/open-postgres-store.js";
import { SchemaVersionError } from "../../src/store/sqlite/migrate.js";
import type { Store } from "../../src/store/store.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

const logger = createLogger("silent");
const opened: Store[] = [];
let database: TestDatabase | undefined;

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await database?.drop();
  database = undefined;
});

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("six workers starting at once on an empty database migrate it once", async () => {
  database = await createTestDatabase();
  const url = database.url;
  opened.push(...(await Promise.all(Array.from({ length: 6 }, () => openPostgresStore({ url, logger })))));

  const applied = await query<{ version: number; name: string }>(url, "SELECT version, name FROM schema_migrations ORDER BY version");
  expect(applied).toEqual(migrations.map(({ version, name }) => ({ version, name })));
  const tables = await query<{ table_name: string }>(
    url,
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name COLLATE \"C\"",
  );
  expect(tables.map((row) => row.table_name)).toEqual([
    "adjustments",
    "dead_letters",
    "decisions",
    "ignored_events",
    "inbox",
    "integrations",
    "inventory",
    "line_progress",
    "outbox",
    "schema_migrations",
  ]);
  for (const store of opened) await expect(store.inboxDepth()).resolves.toBe(0);
});

test("a database migrated by a newer worker is refused with the versions named", async () => {
  database = await createTestDatabase();
  opened.push(await openPostgresStore({ url: database.url, logger }));
  const latest = migrations.at(-1)!.version;
  await query(database.url, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (${latest + 1}, 'from the future', 0)`);

  const error = await openPostgresStore({ url: database.url, logger }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SchemaVersionError);
  expect((error as Error).message).toBe(
    `database schema version ${latest + 1} is newer than this worker's (${latest}): upgrade the worker`,
  );
});

test("an unreachable server or a missing database is a clear error without the password", async () => {
  const refused = await openPostgresStore({ url: "postgres://restock:s3cret@127.0.0.1:1/restock", logger }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(DatabaseConnectError);
  expect((refused as Error).message).toMatch(
    /^cannot connect to PostgreSQL at postgres:\/\/restock:\*\*\*@127\.0\.0\.1:1\/restock: .*ECONNREFUSED/,
  );
  expect((refused as Error).message).not.toContain("s3cret");

  // A database that existed and was dropped: the name is valid, the database is gone.
  const dropped = await createTestDatabase();
  await dropped.drop();
  const url = new URL(dropped.url);
  const missing = await openPostgresStore({ url: url.toString(), logger }).catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(DatabaseConnectError);
  expect((missing as Error).message).toContain(`database "${url.pathname.slice(1)}" does not exist`);
});
