import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/ops/logger.js";
import { openStore } from "../../src/store/open-store.js";
import { createWorker } from "../../src/worker.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
  database = undefined;
});

// A serve starting while another session held the host_sink row (or the network was cut) waited in
// an unbounded write: no retry, no log line, and a stop waited for the lock (PostgreSQL review).
test("a worker starting while another session holds the host sink's row retries within writeTimeoutMs, and a stop ends its wait at once", async () => {
  database = await createTestDatabase();
  const config = loadConfig({
    flags: { databaseUrl: database.url, port: 0, logLevel: "silent", writeTimeoutMs: 200, "sink.url": "http://127.0.0.1:9/adjustments" },
  });
  const store = await openStore(config, createLogger("silent"));
  const worker = await createWorker(config, { store });
  const holder = new pg.Client({ connectionString: database.url });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT * FROM host_sink FOR UPDATE");
    const listening = worker.listen();
    await expect.poll(() => worker.http.server.listening).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await worker.http.inject({ url: "/readyz" })).json()).toEqual({ status: "starting" });
    const stopAt = Date.now();
    await worker.stop();
    await expect(listening).resolves.toMatch(/^http:/);
    // Before: the stop waited until the lock was released (and then the write committed).
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    await holder.query("ROLLBACK");
    const { rows } = await holder.query("SELECT enabled FROM host_sink");
    expect(rows).toEqual([{ enabled: false }]);
  } finally {
    await holder.end();
  }
});
