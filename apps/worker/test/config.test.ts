import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { loadConfig } from "../src/config/load-config.js";
import { DEFAULT_BATCH_SIZE, processingBatchSize } from "../src/config/schema.js";
import { runCli } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
const futureAdapter = fileURLToPath(new URL("./fixtures/contract-v2-adapter.mjs", import.meta.url));

describe("configuration", () => {
  test("defaults, file < environment < flags", () => {
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ port: 9000, dbPath: "/tmp/from-file.db", processing: { batchSize: 50 } }));
    const config = loadConfig({
      file,
      env: { RESTOCK_PORT: "9100", RESTOCK_ADAPTERS: "@restock/adapter-walmart, @restock/adapter-no-reason" },
      flags: { port: "9200" },
    });
    expect(config.port).toBe(9200);
    expect(config.dbPath).toBe("/tmp/from-file.db");
    expect(config.processing.batchSize).toBe(50);
    expect(config.processing.maxAttempts).toBe(8);
    expect(config.adapters).toEqual(["@restock/adapter-walmart", "@restock/adapter-no-reason"]);
    expect(loadConfig().dbPath).toBe("./data/restock.db");
    expect(loadConfig().adapters).toHaveLength(9);
  });

  test("the processing batch size defaults by the kind of store, and a set value wins", () => {
    // The kind, not the URL: a store handed to createWorker needs no databaseUrl in the configuration.
    expect(processingBatchSize(loadConfig(), "sqlite")).toBe(DEFAULT_BATCH_SIZE.sqlite);
    expect(processingBatchSize(loadConfig(), "postgres")).toBe(DEFAULT_BATCH_SIZE.postgres);
    expect(DEFAULT_BATCH_SIZE.sqlite).not.toBe(DEFAULT_BATCH_SIZE.postgres);
    expect(processingBatchSize(loadConfig({ env: { RESTOCK_BATCH_SIZE: "64" } }), "postgres")).toBe(64);
    expect(processingBatchSize(loadConfig({ flags: { "processing.batchSize": 7 } }), "sqlite")).toBe(7);
  });

  test("a bad value names the key and where it came from", () => {
    expect(() => loadConfig({ env: { RESTOCK_PORT: "99999" } })).toThrow(/invalid configuration: port \(from environment RESTOCK_PORT\)/);
    expect(() => loadConfig({ env: { RESTOCK_SINK_URL: "not a url" } })).toThrow(/sink\.url \(from environment RESTOCK_SINK_URL\)/);
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ processing: { batchSize: 0 } }));
    expect(() => loadConfig({ file })).toThrow(`invalid configuration: processing.batchSize (from config file ${file})`);
    expect(() => loadConfig({ flags: { logLevel: "loud" } })).toThrow(/logLevel \(from command line\)/);
    expect(() => loadConfig({ flags: { unknownKey: 1 } })).toThrow(/unknownKey/);
  });

  test("restock serve stops at start-up on a bad value, naming it", async () => {
    const run = await runCli(["serve", "--db", join(dir, "never.db")], { env: { RESTOCK_PORT: "not-a-port" } });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("invalid configuration: port (from environment RESTOCK_PORT)");
  });
});

describe("adapter loading", () => {
  test("a contract-version mismatch names the package and both versions", async () => {
    await expect(loadAdapters([futureAdapter])).rejects.toThrow(
      `adapter package "${futureAdapter}" (adapter "future") implements contract version 2, this worker's @restock/core implements contract version 1`,
    );
    const run = await runCli(["serve", "--db", join(dir, "never.db"), "--port", "0"], {
      env: { RESTOCK_ADAPTERS: `@restock/adapter-walmart,${futureAdapter}` },
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(futureAdapter);
    expect(run.stderr).toContain("contract version 2");
    expect(run.stderr).toContain("contract version 1");
  });

  test("two adapters with one id are refused; a missing package is named", async () => {
    await expect(loadAdapters(["@restock/adapter-walmart", "@restock/adapter-walmart"])).rejects.toThrow(
      'adapter packages "@restock/adapter-walmart" and "@restock/adapter-walmart" both have the id "walmart"',
    );
    await expect(loadAdapters(["@restock/adapter-nowhere"])).rejects.toThrow('cannot load adapter package "@restock/adapter-nowhere"');
  });

  test("an installation loads only the adapters it lists; no-reason is the fallback", async () => {
    const { engine, loaded } = await loadAdapters(["@restock/adapter-walmart", "@restock/adapter-no-reason"]);
    expect(loaded.map((entry) => entry.adapter.id)).toEqual(["walmart", "no-reason"]);
    expect(engine.adapterFor("walmart")?.id).toBe("walmart");
    expect(engine.adapterFor("etsy")?.id).toBe("no-reason");
    expect(engine.adapterFor("amazon")?.id).toBe("no-reason");
  });
});
