import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { openStore } from "../src/store/open-store.js";
import { createWorker } from "../src/worker.js";
import { spawnCli } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir("restock-start-locked-");

/** A worker with a sink URL (so starting writes) on a database whose write lock another connection holds. */
async function workerOnLockedDatabase(name: string) {
  const path = join(dir, name);
  const config = loadConfig({
    flags: { dbPath: path, port: 0, logLevel: "silent", writeTimeoutMs: 100, "sink.url": "http://127.0.0.1:9/adjustments" },
  });
  const worker = await createWorker(config, { store: await openStore(config, createLogger("silent")) });
  const other = new Database(path);
  other.exec("BEGIN IMMEDIATE");
  return { worker, other };
}

// A serve restarted (after a kill -9, say) while another process held the SQLite write lock for
// longer than writeTimeoutMs listened, said it was ready, and exited 1 "cannot start: database is
// locked" when turning the host sink on timed out (SQLite chaos review, 5 of 5 restarts).
test("a worker that starts while another process holds the write lock waits for it, not ready meanwhile, then starts", async () => {
  const { worker, other } = await workerOnLockedDatabase("locked.db");
  let listened: string | undefined;
  let failed: unknown;
  const listening = worker.listen().then(
    (address) => {
      listened = address;
    },
    (error) => {
      failed = error;
    },
  );
  try {
    await expect.poll(() => worker.http.server.listening).toBe(true);
    const readyz = async () => {
      const response = await worker.http.inject({ url: "/readyz" });
      return { status: response.statusCode, body: response.json() };
    };
    // Several write timeouts go by: still waiting, and saying so.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(failed).toBeUndefined();
    expect(listened).toBeUndefined();
    expect(await readyz()).toEqual({ status: 503, body: { status: "starting" } });

    other.exec("COMMIT");
    await listening;
    expect(failed).toBeUndefined();
    expect(listened).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await readyz()).toEqual({ status: 200, body: { status: "ready" } });
    expect((await worker.store.hostSink()).enabled).toBe(true);
  } finally {
    if (other.inTransaction) other.exec("ROLLBACK");
    other.close();
    await listening;
    await worker.stop();
  }
});

test("a worker stopped while it waits for the write lock stops at once, and listen() resolves without starting", async () => {
  const { worker, other } = await workerOnLockedDatabase("stopped.db");
  try {
    const listening = worker.listen();
    await expect.poll(() => worker.http.server.listening).toBe(true);
    // Long enough for the retry's wait to have grown past a second.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const stopAt = Date.now();
    await worker.stop();
    // listen() settles at once (the wait ends on stop), without touching the closed store.
    await expect(listening).resolves.toMatch(/^http:/);
    expect(Date.now() - stopAt).toBeLessThan(1_000);
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
});

test("restock serve stopped while it waits for the write lock says nothing of listening and exits 0", async () => {
  const path = join(dir, "serve-stopped.db");
  // The database made first (migrated), then its write lock held.
  await (await openStore(loadConfig({ flags: { dbPath: path, logLevel: "silent" } }), createLogger("silent"))).close();
  const other = new Database(path);
  other.exec("BEGIN IMMEDIATE");
  try {
    const { child, output } = spawnCli(["serve", "--db", path, "--port", "0", "--sink-url", "http://127.0.0.1:9/adjustments"], {
      env: { RESTOCK_WRITE_TIMEOUT_MS: "100" },
      stdin: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await expect.poll(() => output.stdout.includes("the database takes no writes yet"), { timeout: 10_000 }).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    // Before: "listening" and the banner after "shutting down", then the settings read on a closed store.
    expect(output.stdout).not.toContain('"msg":"listening"');
    expect(output.stdout).not.toContain("restock worker listening on");
    expect(output.stderr).toBe("");
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
});
