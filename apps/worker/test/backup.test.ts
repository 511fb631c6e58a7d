import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { channelCancellation } from "./helpers/payloads.js";
import { runCli, startServe } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

/** Reads one row from a database file, read-only. */
function read<T>(file: string, sql: string): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get() as T;
  } finally {
    db.close();
  }
}

describe("restock backup", () => {
  test("copies the database as of one commit while restock serve takes and decides deliveries", async () => {
    const live = join(dir, "live.db");
    const copy = join(dir, "copy.db");
    const { url, child, exited } = await startServe(["--db", live, "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "warn", RESTOCK_ACCESS_LOG: "0" },
      until: ["sample-walmart"],
    });
    // Eight senders deliver new orders (2 units each, some delivered twice) until told to stop.
    let sent = 0;
    let sending = true;
    const sender = async () => {
      while (sending) {
        const order = sent++;
        const body = channelCancellation(`BK-${order % 700}`, [{ lineId: "1", sku: `SKU-${order % 13}`, quantity: 2 }]);
        const response = await fetch(`${url}/webhooks/sample-no-reason`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "x-restock-token": "sample-secret-no-reason" },
        });
        expect(response.status).toBe(202);
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    try {
      while (sent < 300) await new Promise((resolve) => setTimeout(resolve, 10));
      const backup = await runCli(["backup", copy, "--db", live]);
      expect(backup.code, backup.stderr).toBe(0);
      expect(JSON.parse(backup.stdout)).toEqual({ backup: copy, bytes: expect.any(Number) });
      const sentAtBackup = sent;
      while (sent < sentAtBackup + 200) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      sending = false;
      await Promise.all(senders);
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);

    expect(read(copy, "PRAGMA integrity_check")).toEqual({ integrity_check: "ok" });
    const copied = read<{ n: number; last: number }>(copy, "SELECT COUNT(*) AS n, MAX(id) AS last FROM inbox");
    const final = read<{ n: number; last: number }>(live, "SELECT COUNT(*) AS n, MAX(id) AS last FROM inbox");
    expect(copied.n).toBeGreaterThan(0);
    expect(copied.last).toBeLessThan(final.last);
    // One commit's view: every decided event's decisions are in the copy, and on-hand is exactly what
    // the copied decisions restored (a batch writes both in one transaction).
    expect(
      read(
        copy,
        "SELECT COUNT(*) AS n FROM inbox WHERE status = 'done' AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = decisions_to)",
      ),
    ).toEqual({ n: 0 });
    const restored = read<{ units: number }>(copy, "SELECT COALESCE(SUM(restored_now), 0) AS units FROM decisions");
    expect(read(copy, "SELECT COALESCE(SUM(on_hand), 0) AS units FROM inventory")).toEqual(restored);
    // The copy is a restock database: the CLI reads it, and serve could start on it.
    const decisions = await runCli(["decisions", "--db", copy, "--limit", "1"]);
    expect(decisions.code, decisions.stderr).toBe(0);
    expect(decisions.stdout).toContain('"integrationId":"sample-no-reason"');
  });

  test("refuses to overwrite a file, a database that is not there, and PostgreSQL", async () => {
    const existing = join(dir, "existing.db");
    writeFileSync(existing, "keep me");
    const source = join(dir, "source.db");
    expect((await runCli(["integrations", "add", "bk-1", "-m", "walmart", "--db", source])).code).toBe(0);

    const overwrite = await runCli(["backup", existing, "--db", source]);
    expect(overwrite.code).toBe(64);
    expect(overwrite.stderr).toContain(`${existing} already exists`);
    expect(read<{ n: number } | undefined>(source, "SELECT COUNT(*) AS n FROM integrations")).toEqual({ n: 1 });

    const missing = await runCli(["backup", join(dir, "none-copy.db"), "--db", join(dir, "none.db")]);
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("no database at");
    expect(existsSync(join(dir, "none.db"))).toBe(false);

    // Said plainly, not as SQLite's failure to open a temporary file.
    const unwritable = await runCli(["backup", join(dir, "no-such-folder", "copy.db"), "--db", source]);
    expect(unwritable.code).toBe(64);
    expect(unwritable.stderr.trim()).toBe(`the folder of ${join(dir, "no-such-folder", "copy.db")} does not exist: create it first`);

    // Sources that are not restock databases: one line naming the file, never a stack trace.
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    const notRestock = await runCli(["backup", join(dir, "empty-copy.db"), "--db", empty]);
    expect(notRestock.code).toBe(64);
    expect(notRestock.stderr).toContain(`${empty} is not a restock database`);
    const text = join(dir, "notes.txt");
    writeFileSync(text, "not a database at all, just some words that fill more than a header would");
    const folder = join(dir, "a-folder.db");
    mkdirSync(folder);
    const unreadable = await runCli(["backup", join(dir, "bad-copy.db"), "--db", text]);
    expect([unreadable.code, unreadable.stderr.trim()]).toEqual([64, `${text} is not a restock database (not a SQLite file)`]);
    // As every other command says it (SQLite said "disk I/O error").
    const directory = await runCli(["backup", join(dir, "bad-copy.db"), "--db", folder]);
    expect(directory.code).toBe(64);
    expect(directory.stderr.trim()).toBe(`${folder} is a directory, not a database file`);
    expect(existsSync(join(dir, "bad-copy.db"))).toBe(false);

    // A good backup leaves the copy under its name and no partial file beside it. It also removes
    // what killed runs left (their temporary copy and its journal, under last night's name, unwritten
    // for 7 hours), but not a copy written a moment ago, whatever its pid (a run still going in
    // another container, whose pids this one cannot see).
    const copies = join(dir, "copies");
    mkdirSync(copies);
    const killedRun = [".nightly-1.db.4242.partial", ".nightly-1.db.4242.partial-journal"];
    const running = `.nightly-2.db.${spawnSync(process.execPath, ["-e", ""]).pid}.partial`;
    for (const name of [...killedRun, running]) writeFileSync(join(copies, name), "half a copy");
    const sevenHoursAgo = new Date(Date.now() - 7 * 60 * 60 * 1000);
    for (const name of killedRun) utimesSync(join(copies, name), sevenHoursAgo, sevenHoursAgo);
    const good = await runCli(["backup", join(copies, "copy.db"), "--db", source]);
    expect(good.code, good.stderr).toBe(0);
    expect(readdirSync(copies).sort()).toEqual([running, "copy.db"]);
    rmSync(join(copies, running));
    expect(read(join(copies, "copy.db"), "SELECT id FROM integrations")).toEqual({ id: "bk-1" });

    const postgres = await runCli(["backup", join(dir, "pg-copy.db")], { env: { DATABASE_URL: "postgres://127.0.0.1:1/none" } });
    expect(postgres.code).toBe(64);
    expect(postgres.stderr).toContain("pg_dump");
  });
});
