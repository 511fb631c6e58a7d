import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { loadConfig } from "../src/config/load-config.js";
import { DEFAULT_ADAPTERS, DEFAULT_BATCH_SIZE, processingBatchSize } from "../src/config/schema.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { CLI, type CliRun, runCli } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
const futureAdapter = fileURLToPath(new URL("./fixtures/contract-v2-adapter.mjs", import.meta.url));

/** `restock serve` that must end on its own: killed (and the run marked as such) after `ms`. */
function serveUntilExit(args: string[], env: Record<string, string>, ms = 15_000): Promise<CliRun & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "serve", ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    const output = { stdout: "", stderr: "" };
    child.stdout.on("data", (chunk) => {
      output.stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output.stderr += chunk;
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, ms);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, killed, ...output });
    });
  });
}

/** stderr's non-empty lines. */
function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

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

  test("+<package> adapters are added to the nine shipped ones; mixing the two forms is refused", () => {
    const added = loadConfig({ env: { RESTOCK_ADAPTERS: "+@acme/adapter-etsy, +@restock/adapter-amazon" } }).adapters;
    expect(added).toEqual([...DEFAULT_ADAPTERS, "@acme/adapter-etsy"]);
    expect(loadConfig({ flags: { adapters: ["+@acme/adapter-etsy"] } }).adapters).toHaveLength(10);
    expect(() => loadConfig({ env: { RESTOCK_ADAPTERS: "+@acme/adapter-etsy,@restock/adapter-amazon" } })).toThrow(
      /adapters \(from environment RESTOCK_ADAPTERS\): mixes \+<package> entries/,
    );
    expect(() => loadConfig({ flags: { adapters: ["+"] } })).toThrow(/adapters \(from command line\): a \+ entry names no package/);
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
    // fetch refuses it, and its error quoted the password into every adjustment's last error.
    expect(() => loadConfig({ env: { RESTOCK_SINK_URL: "http://inv:S3cret@127.0.0.1:9/hook" } })).toThrow(
      /sink\.url \(from environment RESTOCK_SINK_URL\).*must not hold credentials: send them in sink\.headers/,
    );
    expect(loadConfig({ env: { RESTOCK_SINK_URL: "https://inventory.example/hook?tenant=7" } }).sink.url).toBe(
      "https://inventory.example/hook?tenant=7",
    );
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ processing: { batchSize: 0 } }));
    expect(() => loadConfig({ file })).toThrow(`invalid configuration: processing.batchSize (from config file ${file})`);
    expect(() => loadConfig({ flags: { logLevel: "loud" } })).toThrow(/logLevel \(from command line\)/);
    expect(() => loadConfig({ flags: { unknownKey: 1 } })).toThrow(/unknownKey/);
  });

  test("an unknown key, nested or not, is refused naming the key and the config file", () => {
    const file = join(dir, "unknown-keys.json");
    const refused = (values: unknown) => {
      writeFileSync(file, JSON.stringify(values));
      return () => loadConfig({ file });
    };
    // A misspelt key was ignored: this worker started and never pruned.
    expect(refused({ retention: { bodiesDay: 30 } })).toThrow(
      `invalid configuration: retention.bodiesDay (from config file ${file}): Unrecognized key: "bodiesDay"`,
    );
    expect(refused({ processing: { batchSize: 50, maxAttempt: 3 } })).toThrow(
      `invalid configuration: processing.maxAttempt (from config file ${file})`,
    );
    expect(refused({ sink: { url: "http://127.0.0.1:9/hook", timeout: 500 } })).toThrow(
      `invalid configuration: sink.timeout (from config file ${file})`,
    );
    // At the top level the message said "(config)", naming neither the key's place nor the file.
    expect(refused({ prot: 9000 })).toThrow(`invalid configuration: prot (from config file ${file}): Unrecognized key: "prot"`);
    expect(refused({ retentoin: { bodiesDays: 30 } })).toThrow(`invalid configuration: retentoin (from config file ${file})`);
    expect(() => loadConfig({ flags: { unknownKey: 1 } })).toThrow("invalid configuration: unknownKey (from command line)");
    // sink.headers is a record of header names, not keys of the configuration.
    expect(refused({ sink: { headers: { "X-Anything": "1" } } })().sink.headers).toEqual({ "X-Anything": "1" });
  });

  test("restock serve refuses a config file with a misspelt nested key: exit 78, naming the key and the file", async () => {
    const file = join(dir, "misspelt.json");
    writeFileSync(file, JSON.stringify({ retention: { bodiesDay: 30 } }));
    // It started and served (and never pruned): killed after 15 s, as a worker that does not stop on its own.
    const run = await serveUntilExit(["--config", file, "--db", join(dir, "never-misspelt.db"), "--port", "0"], {});
    expect(run.killed).toBe(false);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(`invalid configuration: retention.bodiesDay (from config file ${file})`);
  });

  // Refused as "not valid JSON: syntax error at line 1, column 1", though payloads, replay and
  // import-legacy files take a BOM.
  test("a config file saved with a UTF-8 byte order mark is read", () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ port: 9300 }))]));
    expect(loadConfig({ file }).port).toBe(9300);
  });

  test("a config file that is not valid JSON: the line and column of the error, none of the file's text", async () => {
    const file = join(dir, "broken.json");
    const secret = "s3cret-api-token-do-not-print";
    const refused = (text: string) => {
      writeFileSync(file, text);
      let message = "";
      try {
        loadConfig({ file });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toContain(secret.slice(0, 10));
      expect(message).not.toContain("Unexpected");
      return message;
    };
    // V8's message quoted the text around the error: '..."apiToken": s3cret-api"... is not valid JSON'.
    expect(refused(`{\n  "port": 9000,\n  "apiToken": ${secret}\n}`)).toBe(
      `config file ${file} is not valid JSON: syntax error at line 3, column 15`,
    );
    expect(refused(`{"apiToken": "${secret}" "sessionSecret": "x"}`)).toBe(
      `config file ${file} is not valid JSON: syntax error at line 1, column ${secret.length + 17}`,
    );
    expect(refused(`{"apiToken": "${secret}`)).toBe(`config file ${file} is not valid JSON: it ends too early`);
    expect(refused("")).toBe(`config file ${file} is not valid JSON: it ends too early`);
    expect(refused(`{"apiToken": "${secret}",}`)).toBe(
      `config file ${file} is not valid JSON: syntax error at line 1, column ${secret.length + 17}`,
    );

    writeFileSync(file, `{"apiToken": ${secret}}`);
    const run = await runCli(["serve", "--config", file, "--db", join(dir, "never-broken.db"), "--port", "0"]);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(`config file ${file} is not valid JSON: syntax error at line 1, column 14`);
    expect(run.stderr).not.toContain(secret.slice(0, 10));
  });

  test("sink.headers: a header fetch cannot send, or one the sink sets itself, is refused at start-up naming it", () => {
    const withHeaders = (headers: Record<string, string>) => {
      const file = join(dir, "sink-headers.json");
      writeFileSync(file, JSON.stringify({ sink: { url: "http://127.0.0.1:9/adjustments", headers } }));
      return () => loadConfig({ file });
    };
    expect(withHeaders({ Authorization: "Bearer abc", "X-Tenant": "7" })().sink.headers).toEqual({
      Authorization: "Bearer abc",
      "X-Tenant": "7",
    });
    expect(withHeaders({ "Content-Type": "text/plain" })).toThrow(/sink\.headers\.Content-Type .*the sink sets Content-Type itself/);
    expect(withHeaders({ "idempotency-key": "abc" })).toThrow(/sink\.headers\.idempotency-key .*the sink sets idempotency-key itself/);
    expect(withHeaders({ "Bad Name": "x" })).toThrow(/sink\.headers\.Bad Name .*not a valid HTTP header name or value/);
    expect(withHeaders({ Authorization: "Bearer abc\r\nX-Injected: 1" })).toThrow(/sink\.headers\.Authorization .*not a valid HTTP header/);
    // new Headers() takes these; fetch refuses them on every request (or, Content-Length, hangs until the timeout).
    for (const [name, value] of [
      ["Keep-Alive", "timeout=5"],
      ["Expect", "100-continue"],
      ["Transfer-Encoding", "chunked"],
      ["Upgrade", "websocket"],
      ["Connection", "upgrade"],
      ["Content-Length", "10"],
    ]) {
      expect(withHeaders({ [name!]: value! }), name).toThrow(new RegExp(`sink\\.headers\\.${name} .*fetch sets and refuses to take`));
    }
    expect(withHeaders({ Connection: "close" })().sink.headers).toEqual({ Connection: "close" });
  });

  // Node reads a header's bytes one per character and drops its outer blanks: a token with é in it
  // (sent as UTF-8) or a line break at its end was never matched on /v1 (401 on every call), while
  // the console's sign-in form, which reads the typed text, took it.
  test("apiToken: visible ASCII only (no blanks, no é), refused at start-up naming it", () => {
    for (const token of ["tökén-0123456789abcdef", "change-me-0123456789\n", " change-me-0123456789", "change me 0123456789"]) {
      expect(() => loadConfig({ env: { RESTOCK_API_TOKEN: token } }), JSON.stringify(token)).toThrow(
        /invalid configuration: apiToken \(from environment RESTOCK_API_TOKEN\): must be visible ASCII characters/,
      );
    }
    expect(loadConfig({ env: { RESTOCK_API_TOKEN: "change-me-0123456789~!=+/" } }).apiToken).toBe("change-me-0123456789~!=+/");
  });

  test("whole numbers are decimal digits (or JSON numbers): blanks, hex, signs and exponents are refused, naming the key", () => {
    for (const value of [" ", "0x4657", "1e3", "+80", "80.0", "８０", "80 ", "-1"]) {
      expect(() => loadConfig({ env: { RESTOCK_PORT: value } }), JSON.stringify(value)).toThrow(
        /^invalid configuration: port \(from environment RESTOCK_PORT\): /,
      );
    }
    expect(() => loadConfig({ env: { RESTOCK_BATCH_SIZE: "0x10" } })).toThrow(
      /invalid configuration: processing\.batchSize \(from environment RESTOCK_BATCH_SIZE\)/,
    );
    expect(() => loadConfig({ flags: { port: " " } })).toThrow(/invalid configuration: port \(from command line\)/);
    expect(() => loadConfig({ flags: { port: true } })).toThrow(/invalid configuration: port \(from command line\)/);
    expect(loadConfig({ env: { RESTOCK_PORT: "0" } }).port).toBe(0);
    expect(loadConfig({ env: { RESTOCK_PORT: "08080" } }).port).toBe(8080);
    expect(loadConfig({ flags: { port: 9300, "sink.timeoutMs": "2500" } })).toMatchObject({ port: 9300, sink: { timeoutMs: 2500 } });
    const file = join(dir, "numbers.json");
    writeFileSync(file, JSON.stringify({ port: 9400, bodyLimit: "4096", processing: { maxAttempts: 3 } }));
    expect(loadConfig({ file })).toMatchObject({ port: 9400, bodyLimit: 4096, processing: { maxAttempts: 3 } });
    writeFileSync(file, JSON.stringify({ port: 80.5 }));
    expect(() => loadConfig({ file })).toThrow(`invalid configuration: port (from config file ${file})`);
  });

  test("restock serve stops at start-up on a bad value, naming it", async () => {
    const run = await runCli(["serve", "--db", join(dir, "never.db")], { env: { RESTOCK_PORT: "not-a-port" } });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("invalid configuration: port (from environment RESTOCK_PORT)");
  });

  test("restock serve refuses RESTOCK_PORT=' ' instead of listening on a random port", async () => {
    const run = await serveUntilExit(["--db", join(dir, "blank-port.db")], { RESTOCK_PORT: " " });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("invalid configuration: port (from environment RESTOCK_PORT)");
    expect(run.stdout).not.toContain("listening on");
  });

  test("a database of a newer schema than this worker's: one line saying to upgrade, exit 78, no stack trace", async () => {
    const db = join(dir, "from-the-future.db");
    await openSqliteStore({ path: db }).close();
    const sqlite = new Database(db);
    sqlite.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run();
    sqlite.close();
    for (const args of [["decisions"], ["serve", "--port", "0"]]) {
      const run = await runCli([...args, "--db", db]);
      expect(run.code).toBe(78);
      expect(run.stderr.trim()).toMatch(/^database schema version 999 is newer than this worker's \(\d+\): upgrade the worker$/);
    }
  });

  test("restock serve on a host it cannot listen on: one line naming it, the worker stopped, exit 78", async () => {
    const run = await serveUntilExit(["--db", join(dir, "bad-host.db")], { RESTOCK_HOST: "not a host", RESTOCK_PORT: "0" });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(78);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^cannot listen on not a host:0: /);
    expect(run.stderr).not.toContain("    at ");
  });

  test("restock serve on a port already in use: one line naming it, the worker stopped before it changed the database, exit 78", async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const db = join(dir, "busy-port.db");
    try {
      const run = await serveUntilExit(["--db", db, "--port", String(port), "--sink-url", "http://127.0.0.1:1/adjustments"], {
        RESTOCK_HOST: "127.0.0.1",
      });
      expect(run.killed).toBe(false);
      expect(run.code).toBe(78);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: .*already in use`));
      expect(run.stderr).not.toContain("    at ");
      // The processing thread was stopped cleanly, not killed by the exit.
      expect(run.stdout).not.toContain("graceful shutdown timed out");
      // It bound first: the host sink it would have turned on for the database is still off (it was
      // turned on, and every process deciding here queued adjustments for a host nobody delivers to).
      const status = await runCli(["sink", "status", "--db", db]);
      expect(JSON.parse(status.stdout)).toMatchObject({ enabled: false });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // SQLite opens a file it may not write read-only, silently: the worker started, said it was ready
  // and answered 500 to every delivery. Root may write any file, so the worker runs as nobody here.
  const nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
  // Only where nobody can run the CLI at all (a checkout in a private folder cannot be read by it).
  const asNobody =
    process.getuid?.() === 0 &&
    existsSync("/usr/bin/setpriv") &&
    spawnSync("/usr/bin/setpriv", [...nobody, process.execPath, CLI, "--version"], { cwd: tmpdir(), timeout: 15_000 }).status === 0;
  test.skipIf(!asNobody)(
    "a database file the worker may not write: one line naming it, exit 78, not a worker that answers 500",
    async () => {
      const folder = mkdtempSync(join(tmpdir(), "restock-read-only-"));
      const file = join(folder, "restock.db");
      // Another process (the worker's own user) has it open: its -wal and -shm files exist.
      const owner = openSqliteStore({ path: file });
      chmodSync(folder, 0o755);
      chmodSync(file, 0o444);
      const run = spawnSync("/usr/bin/setpriv", [...nobody, process.execPath, CLI, "serve", "--db", file, "--port", "0"], {
        encoding: "utf8",
        timeout: 15_000,
        cwd: folder,
      });
      await owner.close();
      expect(run.status, run.stdout).toBe(78);
      expect(lines(run.stderr)).toEqual([expect.stringContaining(`cannot open the SQLite database ${file} (dbPath, from --db): EACCES`)]);
    },
  );

  test("a database path that cannot be opened names the path and where it came from, exit 78", async () => {
    const folder = join(dir, "a-folder");
    mkdirSync(folder, { recursive: true });
    const env = await serveUntilExit(["--port", "0"], { RESTOCK_DB: folder });
    expect(env.killed).toBe(false);
    expect(env.code).toBe(78);
    expect(lines(env.stderr)).toEqual([
      expect.stringContaining(`cannot open the SQLite database ${folder} (dbPath, from environment RESTOCK_DB)`),
    ]);
    expect(env.stderr).toContain("is a directory");

    const flag = await runCli(["integrations", "list", "--db", folder]);
    expect(flag.code).toBe(78);
    expect(lines(flag.stderr)).toEqual([expect.stringContaining(`cannot open the SQLite database ${folder} (dbPath, from --db)`)]);

    // A folder that cannot be created: its parent is a file.
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const underFile = join(file, "sub", "restock.db");
    const config = join(dir, "db-config.json");
    writeFileSync(config, JSON.stringify({ dbPath: underFile }));
    const fromFile = await serveUntilExit(["--port", "0", "--config", config], {});
    expect(fromFile.killed).toBe(false);
    expect(fromFile.code).toBe(78);
    expect(lines(fromFile.stderr)).toEqual([
      expect.stringContaining(`cannot open the SQLite database ${underFile} (dbPath, from config file ${config})`),
    ]);
    expect(fromFile.stderr).not.toContain("    at ");

    // The folder is a link to nothing.
    const dangling = join(dir, "dangling");
    symlinkSync(join(dir, "nowhere", "target"), dangling);
    const linked = await serveUntilExit(["--port", "0", "--db", join(dangling, "restock.db")], {});
    expect(linked.code).toBe(78);
    expect(lines(linked.stderr)).toEqual([
      `cannot open the SQLite database ${join(dangling, "restock.db")} (dbPath, from --db): cannot create its folder: EEXIST: file already exists, mkdir '${dangling}'`,
    ]);

    // A folder the kernel refuses to create under one that exists (procfs, Linux): Node 20's
    // recursive mkdir looped forever there, and serve spun instead of exiting.
    if (process.platform === "linux") {
      const underProc = "/proc/self/restock-test/restock.db";
      const proc = await serveUntilExit(["--port", "0", "--db", underProc], {});
      expect(proc.killed).toBe(false);
      expect(proc.code).toBe(78);
      expect(lines(proc.stderr)).toEqual([
        `cannot open the SQLite database ${underProc} (dbPath, from --db): cannot create its folder: ENOENT: no such file or directory, mkdir '/proc/self/restock-test'`,
      ]);
    }
  });
});

describe("--db with a database URL", () => {
  /** A stand-in for PostgreSQL that hangs up on every connection, counting them: none must be made. */
  async function fakePostgres(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `postgres://restock:pg-password@127.0.0.1:${port}/restock`,
      connections: () => connections,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  // The URL won and --db was ignored: `set-mode … --db scratch.db` changed the shared database, exit 0.
  test("is refused, naming both and where the URL came from, before any database is opened: exit 64", async () => {
    const postgres = await fakePostgres();
    const scratch = join(dir, "scratch.db");
    try {
      const fromEnv = await runCli(["integrations", "set-mode", "any", "never", "--db", scratch], { env: { DATABASE_URL: postgres.url } });
      expect(fromEnv.code).toBe(64);
      expect(lines(fromEnv.stderr)).toEqual([
        `--db ${scratch} names a SQLite database, but a database URL is also set (databaseUrl, from environment DATABASE_URL), which would be used instead: unset one of them`,
      ]);

      const config = join(dir, "url-config.json");
      writeFileSync(config, JSON.stringify({ databaseUrl: postgres.url }));
      const fromFile = await runCli(["decisions", "--db", scratch, "--config", config]);
      expect(fromFile.code).toBe(64);
      expect(fromFile.stderr).toContain(`(databaseUrl, from config file ${config})`);

      const serve = await serveUntilExit(["--db", scratch, "--port", "0"], { DATABASE_URL: postgres.url });
      expect(serve.killed).toBe(false);
      expect(serve.code).toBe(64);
      expect(serve.stderr).toContain("unset one of them");

      for (const run of [fromEnv, fromFile, serve]) expect(run.stderr).not.toContain("pg-password");
      expect(postgres.connections()).toBe(0);
      expect(existsSync(scratch)).toBe(false);
    } finally {
      await postgres.close();
    }
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
