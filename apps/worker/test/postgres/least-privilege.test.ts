import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, expect, inject, test } from "vitest";
import { signInByForm, signOutByForm } from "../helpers/console-session.js";
import { runCli } from "../helpers/run-cli.js";
import { API_TOKEN, startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
const workers: TestWorker[] = [];
const roles: string[] = [];

async function run(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  for (const worker of workers.splice(0)) await worker.stop();
  await database?.drop();
  database = undefined;
  for (const role of roles.splice(0)) await run(inject("postgresUrl"), `DROP ROLE IF EXISTS ${role}`);
});

async function readWriteRole(databaseUrl: string): Promise<string> {
  const role = `restock_rw_${randomBytes(4).toString("hex")}`;
  roles.push(role);
  await run(
    databaseUrl,
    `CREATE ROLE ${role} LOGIN`,
    // PostgreSQL before 15 lets everyone create in public: take that away, as 15 does.
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    `GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ${role}`,
    `GRANT DELETE ON inbox_orders TO ${role}`,
    `GRANT DELETE ON revoked_sessions TO ${role}`,
    `GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
  );
  const url = new URL(databaseUrl);
  url.username = role;
  return url.toString();
}

// The README's grants for a worker that does not migrate: these, and no more, must be enough for
// every start of an up-to-date database, for everything processing writes, and for signing out.
test("a worker with only the README's grants starts on a migrated database, applies an event naming several orders and signs out of the console", async () => {
  database = await createTestDatabase();
  const owner = await startWorker(tempDir(), { databaseUrl: database.url });
  await owner.stop();

  const url = new URL(await readWriteRole(database.url));
  const t = await startWorker(tempDir(), { databaseUrl: url.toString() });
  workers.push(t);

  await t.worker.settings.put("amz-rw", { marketplace: "amazon" }, "api");
  const body = readFileSync(
    fileURLToPath(new URL("../../../../packages/adapter-amazon/__fixtures__/order-acknowledgement-several-messages.xml", import.meta.url)),
  );
  const response = await t.request("POST", "/v1/integrations/amz-rw/cancellations", { body, contentType: "application/xml" });
  expect(response.status).toBe(202);
  const { eventId } = (await response.json()) as { eventId: number };
  await t.drain();
  const event = await t.worker.store.getEvent(eventId);
  expect(event?.lastError ?? null).toBeNull();
  expect(event?.status).toBe("done");
  const decisions = await t.worker.store.queryDecisions({ eventId, limit: 100 });
  expect(new Set(decisions.map((decision) => decision.orderId)).size).toBeGreaterThan(1);

  // Signing out of the console records the session as revoked (and deletes those expired).
  const session = await signInByForm(t.worker.http, API_TOKEN);
  const signedOut = await signOutByForm(t.worker.http, session);
  expect(signedOut.statusCode).toBe(303);
  const copy = await t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } });
  expect(copy.statusCode).toBe(401);

  // A privilege taken away is not "the database is down": 500, not a 503 that marketplaces would
  // retry for ever while restock_store_up says all is well.
  await run(database.url, `REVOKE INSERT ON inbox FROM ${url.username}`);
  const refused = await t.request("POST", "/v1/integrations/amz-rw/cancellations", { body, contentType: "application/xml" });
  expect(refused.status).toBe(500);
  const metrics = await (await t.request("GET", "/metrics", { token: false })).text();
  expect(metrics).toContain('restock_events_rejected_total{marketplace="amazon",reason="store_unavailable"} 0');
  expect(metrics).toContain("restock_store_up 1");
});

test("with those grants only, a start that has a migration to apply stops with one line saying what it needs, exit 78", async () => {
  database = await createTestDatabase();
  const owner = await startWorker(tempDir(), { databaseUrl: database.url });
  await owner.stop();
  const url = await readWriteRole(database.url);
  // As if this worker were a version newer than the database: its last migration not applied yet.
  await run(database.url, "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
  const started = await runCli(["decisions"], { env: { DATABASE_URL: url } });
  expect(started.code).toBe(78);
  expect(started.stderr.trim().split("\n")).toHaveLength(1);
  // "permission denied for schema public", or "must be owner of …" for a migration that alters what exists.
  expect(started.stderr).toMatch(/refused the schema migration: (permission denied|must be owner)/);
  expect(started.stderr).toContain("a start that migrates needs a user that may create tables");
});
