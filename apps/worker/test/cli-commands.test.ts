import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { canonicalCancellation, channelCancellation } from "./helpers/payloads.js";
import { CLI, jsonLines, runCli, startServe } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
const db = join(dir, "cli.db");
const flakyAdapter = fileURLToPath(new URL("./fixtures/flaky-adapter.mjs", import.meta.url));

/** A rejected delivery kept in the test database as intake keeps one (integration cli-bytes); its id. */
function keepRejection(body: Buffer, error: string): number {
  const connection = new Database(db);
  try {
    return Number(
      connection
        .prepare(
          `INSERT INTO dead_letters (kind, integration_id, event_id, source, content_type, body, error, field, attempts, created_at)
           VALUES ('rejected', 'cli-bytes', NULL, 'api', 'application/json', ?, ?, NULL, 0, 0)`,
        )
        .run(body, error).lastInsertRowid,
    );
  } finally {
    connection.close();
  }
}

describe("restock integrations / replay / decisions / dead-letter / import-legacy / prune", () => {
  test("commands that read a database refuse a path that holds none (a typo in --db), and create nothing", async () => {
    const typo = join(dir, "typo", "cli.db");
    for (const args of [
      ["decisions"],
      ["dead-letter", "list"],
      ["dead-letter", "retry", "1"],
      ["dead-letter", "body", "1"],
      ["integrations", "list"],
      ["integrations", "set-mode", "cli-wm", "never"],
    ]) {
      const run = await runCli([...args, "--db", typo]);
      expect(run.code, args.join(" ")).toBe(64);
      expect(run.stderr).toContain(`no database at ${typo}`);
    }
    expect(existsSync(join(dir, "typo"))).toBe(false);
    // The refusal points at what set the path: not at --db when the path came from elsewhere.
    const config = join(dir, "typo-config.json");
    writeFileSync(config, JSON.stringify({ dbPath: typo }));
    const fromFile = await runCli(["decisions", "--config", config]);
    expect(fromFile.code).toBe(64);
    expect(fromFile.stderr.trim()).toBe(`no database at ${typo}: check dbPath in the config file ${config}`);
    const fromEnv = await runCli(["decisions"], { env: { RESTOCK_DB_PATH: typo } });
    expect(fromEnv.stderr.trim()).toBe(`no database at ${typo}: check RESTOCK_DB_PATH`);
    expect((await runCli(["decisions", "--db", typo])).stderr.trim()).toBe(`no database at ${typo}: check --db`);
    // replay of a folder or a missing file: one line naming it, exit 64, before anything starts.
    for (const [file, code] of [
      [dir, "EISDIR"],
      [join(dir, "missing.jsonl"), "ENOENT"],
    ]) {
      const run = await runCli(["replay", file!, "--db", join(dir, "replay-refused.db")]);
      expect(run.code).toBe(64);
      expect(run.stderr.trim()).toBe(`cannot read ${file}: ${code}`);
    }
  });

  test("integrations add, list, set-mode", async () => {
    const add = await runCli(["integrations", "add", "cli-wm", "--marketplace", "walmart", "--secret", "hmac:cli-secret", "--db", db]);
    expect(add.code, add.stderr).toBe(0);
    expect(jsonLines(add.stdout)).toEqual([
      expect.objectContaining({ id: "cli-wm", marketplace: "walmart", mode: "smart", hasWebhookSecret: true }),
    ]);
    expect((await runCli(["integrations", "add", "cli-etsy", "-m", "etsy", "--mode", "always", "--db", db])).code).toBe(0);
    expect((await runCli(["integrations", "add", "cli-etsy", "-m", "etsy", "--db", db])).code).toBe(64);
    expect((await runCli(["integrations", "add", "cli-bad", "-m", "etsy", "--mode", "maybe", "--db", db])).code).toBe(64);
    const bareSecret = await runCli(["integrations", "add", "cli-bad", "-m", "walmart", "--secret", "cli-secret", "--db", db]);
    expect(bareSecret.code).toBe(64);
    // Errors name the flag the operator typed, not the API's field (webhookSecret).
    expect(bareSecret.stderr).toContain('--secret: must name the method Walmart was given: "basic:<userName>:<password>"');
    const shortSecret = await runCli(["integrations", "add", "cli-bad", "-m", "etsy", "--secret", "short", "--db", db]);
    expect([shortSecret.code, shortSecret.stderr.trim()]).toEqual([64, "--secret: must be at least 8 characters"]);
    const badMarketplace = await runCli(["integrations", "add", "cli-bad", "-m", "Etsy", "--db", db]);
    expect(badMarketplace.stderr).toMatch(/^--marketplace: must be lower-case letters/);
    const setMode = await runCli(["integrations", "set-mode", "cli-etsy", "never", "--db", db]);
    expect(jsonLines(setMode.stdout)[0]).toMatchObject({ id: "cli-etsy", mode: "never" });
    expect((await runCli(["integrations", "set-mode", "nope", "never", "--db", db])).code).toBe(64);
    const list = await runCli(["integrations", "list", "--db", db]);
    expect(jsonLines(list.stdout).map((i) => [i.id, i.mode])).toEqual([
      ["cli-etsy", "never"],
      ["cli-wm", "smart"],
    ]);
    expect(list.stdout).not.toContain("cli-secret");
  });

  // An integration without a secret refuses every webhook: one added without --secret (or by
  // import-legacy) could get one only through the HTTP API.
  test("integrations set-secret sets, checks and removes an integration's webhook secret", async () => {
    const secretDb = join(dir, "set-secret.db");
    expect((await runCli(["integrations", "add", "wm-nosecret", "-m", "walmart", "--db", secretDb])).code).toBe(0);
    const hasSecret = async () => jsonLines((await runCli(["integrations", "list", "--db", secretDb])).stdout)[0]?.hasWebhookSecret;
    expect(await hasSecret()).toBe(false);

    const set = await runCli(["integrations", "set-secret", "wm-nosecret", "--secret", "hmac:wm-secret-1", "--db", secretDb]);
    expect(set.code, set.stderr).toBe(0);
    expect(jsonLines(set.stdout)[0]).toMatchObject({ id: "wm-nosecret", marketplace: "walmart", mode: "smart", hasWebhookSecret: true });
    expect(set.stdout).not.toContain("wm-secret-1");
    expect(await hasSecret()).toBe(true);

    // From the environment, out of the process list; checked as the marketplace reads it.
    const bare = await runCli(["integrations", "set-secret", "wm-nosecret", "--db", secretDb], {
      env: { RESTOCK_WEBHOOK_SECRET: "wm-secret-2" },
    });
    expect([bare.code, bare.stderr.trim()]).toEqual([64, expect.stringMatching(/^--secret: must name the method Walmart was given/)]);
    const none = await runCli(["integrations", "set-secret", "wm-nosecret", "--db", secretDb]);
    expect([none.code, none.stderr.trim()]).toEqual([
      64,
      "--secret: give the secret (or set RESTOCK_WEBHOOK_SECRET), or --clear to remove it",
    ]);
    const both = await runCli(["integrations", "set-secret", "wm-nosecret", "--secret", "hmac:x-secret", "--clear", "--db", secretDb]);
    expect(both.code).toBe(64);
    expect((await runCli(["integrations", "set-secret", "nope", "--secret", "hmac:wm-secret-1", "--db", secretDb])).code).toBe(64);
    expect(await hasSecret()).toBe(true);

    const cleared = await runCli(["integrations", "set-secret", "wm-nosecret", "--clear", "--db", secretDb]);
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(await hasSecret()).toBe(false);
  });

  test("replay feeds the file through intake and processing, with plain progress lines when not on a terminal", async () => {
    const file = join(dir, "replay.jsonl");
    const events = [
      {
        integrationId: "cli-wm",
        body: JSON.parse(
          canonicalCancellation("walmart", "R-1", [
            { lineId: "1", sku: "MUG", quantity: 2, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
          ]),
        ),
      },
      {
        integrationId: "cli-wm",
        body: canonicalCancellation("walmart", "R-1", [
          { lineId: "1", sku: "MUG", quantity: 2, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
        ]),
        contentType: "application/json",
      },
      { integrationId: "cli-etsy", body: channelCancellation("R-2", [{ lineId: "a", sku: "RING", quantity: 1 }]) },
      { integrationId: "cli-wm", body: canonicalCancellation("walmart", "R-3", [{ lineId: "1", sku: "MUG", quantity: -1 }]) },
      { integrationId: "nobody", body: "{}" },
    ];
    // Line 8: a SKU in Latin-1 bytes, not UTF-8; line 9: a string body with a lone surrogate escape.
    const latin1 = Buffer.from(
      JSON.stringify({
        integrationId: "cli-etsy",
        body: JSON.parse(channelCancellation("R-4", [{ lineId: "a", sku: "CAFE", quantity: 1 }])),
      }).replace("CAFE", "CAF\u00c9"),
      "latin1",
    );
    const lone = `{"integrationId":"cli-etsy","body":"{\\"orderId\\":\\"R-5\\",\\"lines\\":[{\\"sku\\":\\"LONE\\udc80\\",\\"quantity\\":1}]}"}`;
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${events.map((event) => JSON.stringify(event)).join("\n")}\n\nnot json\n`),
        latin1,
        Buffer.from(`\n${lone}\n`),
      ]),
    );
    const run = await runCli(["replay", file, "--db", db]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      lines: 8,
      accepted: 3,
      rejected: 2,
      failed: 3,
      byStatus: { 202: 3, 400: 2, 404: 1, unreadable: 2 },
      undecided: 0,
    });
    expect(run.stderr).toMatch(/replay: \d+ events, 100%/);
    expect(run.stderr).toContain("line 5: 404");
    // Numbers are the file's lines: the blank line 6 counts, though it is not an event.
    expect(run.stderr).toContain("line 7: not valid JSON");
    expect(run.stderr).toContain("line 8: not valid UTF-8 text");
    // Line 9 is a 400: a dead letter of cli-etsy's, with its body, named on stderr with its id.
    const etsyLetters = jsonLines((await runCli(["dead-letter", "list", "--integration", "cli-etsy", "--db", db])).stdout);
    expect(etsyLetters).toEqual([expect.objectContaining({ kind: "rejected", error: expect.stringContaining("not well-formed text") })]);
    expect(run.stderr).toMatch(new RegExp(`^line 9: 400 .*not well-formed text.* \\(dead letter ${etsyLetters[0].id}\\)$`, "m"));
    // Kept JSON-escaped, not as U+FFFD: retried, it is refused again rather than taken as "LONE\uFFFD".
    const retried = await runCli(["dead-letter", "retry", String(etsyLetters[0].id), "--db", db]);
    expect(jsonLines(retried.stdout)[0]).toMatchObject({ retried: true, kind: "rejected", result: { status: 400 } });
  });

  // Rejections were counted and nothing else: which line, why, and which dead letter went unsaid.
  test("replay names each rejected line on stderr with its field and dead letter; rejections alone exit 0", async () => {
    const rejectedDb = join(dir, "rejected.db");
    expect((await runCli(["integrations", "add", "rj-etsy", "-m", "etsy", "--db", rejectedDb])).code).toBe(0);
    const file = join(dir, "rejected.jsonl");
    const events = [
      { integrationId: "rj-etsy", body: channelCancellation("RJ-1", [{ lineId: "a", sku: "RING", quantity: -1 }]) },
      { integrationId: "rj-etsy", body: channelCancellation("RJ-2", [{ lineId: "a", sku: "RING", quantity: 1 }]) },
    ];
    writeFileSync(file, `${events.map((event) => JSON.stringify(event)).join("\n")}\n`);
    const run = await runCli(["replay", file, "--no-progress", "--db", rejectedDb]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lines: 2, accepted: 1, rejected: 1, failed: 0, undecided: 0 });
    const [letter] = jsonLines((await runCli(["dead-letter", "list", "--db", rejectedDb])).stdout);
    const [warning, ...lines] = run.stderr.trim().split("\n");
    // Etsy has no adapter of its own: the fallback reads its payloads, and the replay says so as serve does
    // (a replay whose integration's adapter was left out of RESTOCK_ADAPTERS had every line refused, unexplained).
    expect(JSON.parse(warning!)).toMatchObject({
      integrations: ["rj-etsy (etsy)"],
      msg: expect.stringContaining("integrations whose marketplace has no adapter of its own loaded: served by the no-reason fallback"),
    });
    // The field once: the adapter's message already starts with it.
    expect(lines).toEqual([`line 1: 400 ${letter.error} (dead letter ${letter.id})`]);
    expect(letter.error).toMatch(/^lines\[0\]\.quantity: /);
    expect(letter.field).toMatch(/quantity/);
  });

  // drain() stops once nothing is due now: a failed event waiting for its retry was left pending,
  // unmentioned, and the replay exited 0.
  test("replay counts accepted events it could not decide (pending a retry, or dead), names them on stderr, exit 1", async () => {
    const flakyDb = join(dir, "undecided.db");
    const adapters = ["--adapters", flakyAdapter, "--db", flakyDb];
    expect((await runCli(["integrations", "add", "cli-flaky", "-m", "flaky", ...adapters])).code).toBe(0);
    const line = (orderId: string) =>
      JSON.stringify({ integrationId: "cli-flaky", body: JSON.stringify({ orderId, lines: [{ lineId: "1", sku: "MUG", quantity: 1 }] }) });
    const file = join(dir, "undecided.jsonl");
    writeFileSync(file, `${["U-OK", "U-BROKEN", "U-DEAD"].map(line).join("\n")}\n`);

    // U-BROKEN fails and waits a minute for its retry.
    const pending = await runCli(["replay", file, "--no-progress", ...adapters], {
      env: { FLAKY_BROKEN: "U-BROKEN", RESTOCK_RETRY_BASE_MS: "60000" },
    });
    expect(pending.code).toBe(1);
    expect(JSON.parse(pending.stdout)).toEqual({ lines: 3, accepted: 3, rejected: 0, failed: 0, byStatus: { 202: 3 }, undecided: 1 });
    expect(pending.stderr).toContain("replay: 1 accepted events are not decided");

    // With one attempt each, both broken orders are dead letters at once: still not decided. This
    // run's events only: the first run's, still pending, is not counted.
    const deadFile = join(dir, "dead.jsonl");
    writeFileSync(deadFile, `${["U-DEAD-1", "U-DEAD-2"].map(line).join("\n")}\n`);
    const dead = await runCli(["replay", deadFile, "--no-progress", ...adapters], {
      env: { FLAKY_BROKEN: "U-DEAD-1,U-DEAD-2", RESTOCK_MAX_ATTEMPTS: "1" },
    });
    expect(dead.code).toBe(1);
    expect(JSON.parse(dead.stdout)).toMatchObject({ accepted: 2, undecided: 2 });
    expect(dead.stderr).toContain("replay: 2 accepted events are not decided");
    const letters = jsonLines((await runCli(["dead-letter", "list", "--kind", "failed", "--db", flakyDb])).stdout);
    expect(letters).toHaveLength(2);

    // The adapter mended: every event of this run is decided, whatever earlier runs left.
    const decided = await runCli(["replay", file, "--no-progress", ...adapters]);
    expect(decided.code, decided.stderr).toBe(0);
    expect(JSON.parse(decided.stdout)).toMatchObject({ accepted: 3, undecided: 0 });
  });

  // Reads what the replay above decided (one process per command: a test of its own, to keep within the timeout).
  test("decisions prints the replayed audit: by integration, as CSV, from a date; refuses --limit with --csv and bad values", async () => {
    const decisions = await runCli(["decisions", "--db", db, "--integration", "cli-wm"]);
    expect(jsonLines(decisions.stdout).map((d) => [d.orderId, d.sku, d.quantity, d.restoredNow, d.rule])).toEqual([
      ["R-1", "MUG", 2, 2, "smart.restore"],
    ]);
    const etsy = await runCli(["decisions", "--db", db, "--integration", "cli-etsy"]);
    expect(jsonLines(etsy.stdout).map((d) => [d.mode, d.restore, d.rule])).toEqual([["never", false, "never"]]);
    const csv = await runCli(["decisions", "--db", db, "--csv"]);
    expect(csv.stdout.trim().split("\n")).toHaveLength(3);
    // --csv exports every matching row: a --limit with it is refused, not silently dropped.
    const limited = await runCli(["decisions", "--db", db, "--csv", "--limit", "1"]);
    expect([limited.code, limited.stdout, limited.stderr.trim()]).toEqual([
      64,
      "",
      "--limit: --csv exports every matching row; narrow it with --from, --to or the filters",
    ]);
    // A date alone is its midnight UTC; one in the future leaves nothing.
    const today = new Date().toISOString().slice(0, 10);
    expect(jsonLines((await runCli(["decisions", "--db", db, "--integration", "cli-wm", "--from", today])).stdout)).toHaveLength(1);
    expect((await runCli(["decisions", "--db", db, "--from", "2999-01-01"])).stdout).toBe("");
    const badDate = await runCli(["decisions", "--db", db, "--from", "31/01/2026"]);
    expect([badDate.code, badDate.stderr.trim()]).toEqual([
      64,
      "--from: must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z",
    ]);
    expect((await runCli(["decisions", "--db", db, "--outcome", "maybe"])).code).toBe(64);
  });

  test("dead-letter body writes the kept bytes to stdout as they are, even bytes that are not UTF-8", async () => {
    const bytes = Buffer.concat([Buffer.from('{"sku":"CAF'), Buffer.from([0xc9]), Buffer.from('-MUG"}\n')]);
    const id = keepRejection(bytes, "body is not valid UTF-8 text");
    const out = execFileSync(process.execPath, [CLI, "dead-letter", "body", String(id), "--db", db]);
    expect(out).toEqual(bytes);
    const missing = await runCli(["dead-letter", "body", "99999", "--db", db]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe("no dead letter 99999");
    expect(missing.stdout).toBe("");
    expect((await runCli(["dead-letter", "body", "1e3", "--db", db])).code).toBe(64);
  });

  // `script` (util-linux, in every Debian) runs the command on a pseudo-terminal.
  test.runIf(spawnSync("script", ["--version"]).status === 0)(
    "dead-letter body does not write a raw body to a terminal unless --force",
    () => {
      const id = keepRejection(Buffer.from('{"note":"\u001b]52;c;cm0gLXJmIH4=\u0007"}'), "a buyer note with a control sequence");
      const onTerminal = (...flags: string[]) =>
        spawnSync(
          "script",
          ["-qec", [process.execPath, CLI, "dead-letter", "body", String(id), "--db", db, ...flags].join(" "), "/dev/null"],
          {
            encoding: "utf8",
          },
        );
      const refused = onTerminal();
      expect(refused.status).toBe(64);
      expect(refused.stdout).toContain(`not writing a raw body to a terminal (it may hold control characters): redirect it`);
      expect(refused.stdout).not.toContain("]52;");
      const forced = onTerminal("--force");
      expect(forced.status).toBe(0);
      expect(forced.stdout).toContain("]52;c;cm0gLXJmIH4=");
    },
  );

  test("output piped into a reader that stops early (| head): the command ends quietly, exit 0", async () => {
    const id = keepRejection(Buffer.alloc(8 * 1024 * 1024, "a"), "too large to matter");
    const child = spawn(process.execPath, [CLI, "dead-letter", "body", String(id), "--db", db], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    // Read the first chunk, then go away, as `head -c 10` does.
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  test.each([["--help"], ["--version"]])("%s into a reader that has gone (| head): ends quietly, exit 0", async (flag) => {
    const child = spawn(process.execPath, [CLI, flag], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    // Gone before the CLI writes a byte: its write fails with EPIPE, as behind `pnpm restock --version | head -1`.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  test("a reader of stderr that stops early (2>&1 | head) does not end a replay part-way: it goes on and prints its summary", async () => {
    const file = join(dir, "stderr-closed.jsonl");
    // Every line fails (no such integration): one error line each on stderr.
    writeFileSync(
      file,
      `${Array.from({ length: 3000 }, (_, n) => JSON.stringify({ integrationId: `nobody-${n}`, body: "{}" })).join("\n")}\n`,
    );
    const child = spawn(process.execPath, [CLI, "replay", file, "--db", db, "--no-progress"], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    await new Promise<void>((resolve) => child.stderr.once("data", () => resolve()));
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ lines: 3000 });
  });

  test("a reader of both outputs that stops early (2>&1 | head) does not turn a failed replay's exit code into 0", async () => {
    const file = join(dir, "both-closed.jsonl");
    writeFileSync(
      file,
      `${Array.from({ length: 3000 }, (_, n) => JSON.stringify({ integrationId: `nobody-${n}`, body: "{}" })).join("\n")}\n`,
    );
    const child = spawn(process.execPath, [CLI, "replay", file, "--db", db, "--no-progress"], { stdio: ["ignore", "pipe", "pipe"] });
    // `2>&1 | head`: one pipe for both, gone after the first lines; the summary's write then fails with EPIPE.
    await new Promise<void>((resolve) => child.stderr.once("data", () => resolve()));
    child.stderr.destroy();
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
  });

  test("dead-letter list and retry", async () => {
    const list = await runCli(["dead-letter", "list", "--integration", "cli-wm", "--db", db]);
    const letters = jsonLines(list.stdout);
    expect(letters).toEqual([expect.objectContaining({ kind: "rejected", integrationId: "cli-wm", field: "lines[0].quantity" })]);
    const retry = await runCli(["dead-letter", "retry", String(letters[0].id), "--db", db]);
    // Still malformed: rejected again, as a new letter; the old one is marked retried.
    expect(retry.code).toBe(0);
    expect(jsonLines(retry.stdout)[0]).toMatchObject({ retried: true, kind: "rejected", result: { status: 400 } });
    const all = jsonLines((await runCli(["dead-letter", "list", "--integration", "cli-wm", "--db", db, "--all"])).stdout);
    expect(all).toHaveLength(2);
    // Times print as ISO-8601, as the API shows them.
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    expect(all.find((letter) => letter.id === letters[0].id)).toMatchObject({
      createdAt: expect.stringMatching(iso),
      retriedAt: expect.stringMatching(iso),
    });
    // A full page says there is more, and where it goes on: a list cut at --limit without a word
    // read as every letter there is.
    const first = await runCli(["dead-letter", "list", "--integration", "cli-wm", "--all", "--limit", "1", "--db", db]);
    expect(jsonLines(first.stdout).map((letter) => letter.id)).toEqual([all[0].id]);
    expect(first.stderr.trim()).toBe(`more: --cursor ${all[0].id}`);
    const rest = await runCli(["dead-letter", "list", "--integration", "cli-wm", "--all", "--cursor", String(all[0].id), "--db", db]);
    expect(jsonLines(rest.stdout).map((letter) => letter.id)).toEqual([all[1].id]);
    expect(rest.stderr).toBe("");
    expect((await runCli(["dead-letter", "retry", "99999", "--db", db])).code).toBe(1);
    // Ids are decimal digits: "0x1" is not letter 1.
    const hex = await runCli(["dead-letter", "retry", "0x1", "--db", db]);
    expect(hex.code).toBe(64);
    expect(hex.stderr).toContain('dead letter id "0x1" is not a positive integer');
    expect((await runCli(["decisions", "--limit", "1e3", "--db", db])).code).toBe(64);
  });

  test("import-legacy prints what changed", async () => {
    const file = join(dir, "legacy.json");
    writeFileSync(
      file,
      JSON.stringify([
        { id: "cli-wm", marketplace: "walmart", restoreQtyOnCancel: false },
        { id: "old-shop", marketplace: "shopify", restoreQtyOnCancel: true },
      ]),
    );
    const dry = await runCli(["import-legacy", file, "--dry-run", "--db", db]);
    expect(jsonLines(dry.stdout).map((row) => [row.id, row.mode, row.change])).toEqual([
      ["cli-wm", "never", "updated"],
      ["old-shop", "always", "created"],
    ]);
    expect(jsonLines((await runCli(["integrations", "list", "--db", db])).stdout)).toHaveLength(2);
    const run = await runCli(["import-legacy", file, "--db", db]);
    expect(run.code).toBe(0);
    expect(jsonLines((await runCli(["integrations", "list", "--db", db])).stdout).map((i) => [i.id, i.mode])).toEqual([
      ["cli-etsy", "never"],
      ["cli-wm", "never"],
      ["old-shop", "always"],
    ]);
    // The seller changes one in restock: a second import keeps it, and says why; --force replaces it.
    expect((await runCli(["integrations", "set-mode", "old-shop", "smart", "--db", db])).code).toBe(0);
    const kept = await runCli(["import-legacy", file, "--db", db]);
    expect(jsonLines(kept.stdout).map((row) => [row.id, row.mode, row.change])).toEqual([
      ["cli-wm", "never", "unchanged"],
      ["old-shop", "smart", "kept"],
    ]);
    const forced = await runCli(["import-legacy", file, "--force", "--db", db]);
    expect(jsonLines(forced.stdout).map((row) => [row.id, row.mode, row.change])).toEqual([
      ["cli-wm", "never", "unchanged"],
      ["old-shop", "always", "updated"],
    ]);
    // A dry run against a --db that holds no database creates none.
    const missing = join(dir, "typo", "restok.db");
    const dryMissing = await runCli(["import-legacy", file, "--dry-run", "--db", missing]);
    expect(dryMissing.code).toBe(64);
    expect(dryMissing.stderr).toContain(`no database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
    writeFileSync(file, JSON.stringify([{ id: "x", restoreQtyOnCancel: true }]));
    const bad = await runCli(["import-legacy", file, "--db", db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("marketplace");
    writeFileSync(
      file,
      JSON.stringify([
        { id: "new-shop", marketplace: "shopify" },
        { id: "new-shop", marketplace: "shopify", restoreQtyOnCancel: false },
      ]),
    );
    const repeated = await runCli(["import-legacy", file, "--db", db]);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toContain('integrations.1.id: "new-shop" is also at integrations.0');
    expect(jsonLines((await runCli(["integrations", "list", "--db", db])).stdout).map((i) => i.id)).not.toContain("new-shop");
    // One key twice in a record: JSON.parse kept the last, and "off" then "on" was imported as Always Restore.
    writeFileSync(file, '[{"id":"twice","marketplace":"amazon","restoreQtyOnCancel":false,"restoreQtyOnCancel":true}]');
    const twice = await runCli(["import-legacy", file, "--db", db]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`${file}: the key "restoreQtyOnCancel" appears twice in one object`);
    expect(jsonLines((await runCli(["integrations", "list", "--db", db])).stdout).map((i) => i.id)).not.toContain("twice");
    // A byte-order mark (Windows tools write one) is fine; a file cut off mid-JSON is a malformed payload (2).
    writeFileSync(file, `\ufeff${JSON.stringify([{ id: "bom-shop", marketplace: "shopify", restoreQtyOnCancel: true }])}`);
    const bom = await runCli(["import-legacy", file, "--dry-run", "--db", db]);
    expect(bom.code, bom.stderr).toBe(0);
    expect(jsonLines(bom.stdout).map((row) => [row.id, row.mode])).toEqual([["bom-shop", "always"]]);
    writeFileSync(file, '[{"id": "cut-shop", "marketplace": "shop');
    const truncated = await runCli(["import-legacy", file, "--db", db]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toContain(`${file}: not valid JSON`);
    expect((await runCli(["import-legacy", join(dir, "no-such-legacy.json"), "--db", db])).code).toBe(64);
  });

  // The wrapper object took any other key: "integration" (a typo) was dropped and half the file imported.
  test("import-legacy refuses an unknown key, in the wrapper object or a record, naming it", async () => {
    const file = join(dir, "legacy-unknown.json");
    const record = (id: string) => ({ id, marketplace: "shopify", restoreQtyOnCancel: true });
    writeFileSync(file, JSON.stringify({ integrations: [record("uk-1")], integration: [record("uk-2")] }));
    const wrapper = await runCli(["import-legacy", file, "--dry-run", "--db", db]);
    expect(wrapper.code).toBe(2);
    expect(wrapper.stderr.trim()).toBe(`${file}: integration: Unrecognized key: "integration"`);
    writeFileSync(file, JSON.stringify([{ ...record("uk-1"), restoreQty: false }]));
    const inRecord = await runCli(["import-legacy", file, "--dry-run", "--db", db]);
    expect(inRecord.code).toBe(2);
    expect(inRecord.stderr.trim()).toBe(`${file}: integrations.0.restoreQty: Unrecognized key: "restoreQty"`);
  });

  // The error said "marketplace: no adapter is loaded …": which of the file's records, it did not say.
  test("import-legacy names the record whose marketplace no loaded adapter serves", async () => {
    const file = join(dir, "legacy-no-adapter.json");
    writeFileSync(
      file,
      JSON.stringify([
        { id: "na-1", marketplace: "shopify", restoreQtyOnCancel: true },
        { id: "na-2", marketplace: "nowhere", restoreQtyOnCancel: true },
      ]),
    );
    const run = await runCli(["import-legacy", file, "--adapters", "@restock/adapter-shopify", "--db", join(dir, "no-adapter.db")]);
    expect(run.code).toBe(64);
    expect(run.stderr.trim()).toBe(
      'integrations.1.marketplace: no adapter is loaded for marketplace "nowhere" and no fallback adapter is configured',
    );
  });

  test("prune drops the bodies of decided events older than --older-than days, and keeps the audit", async () => {
    const count = (sql: string) => {
      const database = new Database(db, { readonly: true });
      try {
        return (database.prepare(sql).get() as { n: number }).n;
      } finally {
        database.close();
      }
    };
    const decidedWithBody = "SELECT COUNT(*) AS n FROM inbox JOIN inbox_payloads ON event_id = id WHERE status IN ('done', 'duplicate')";
    const decided = count(decidedWithBody);
    // The audit as `restock decisions` prints it (a failed run names its error).
    const decisions = async () => {
      const run = await runCli(["decisions", "--db", db]);
      expect(run.code, run.stderr).toBe(0);
      return run.stdout;
    };
    const audit = await decisions();
    expect(decided).toBeGreaterThan(1);

    // Everything here was decided minutes ago: 30 days keeps it all.
    const none = await runCli(["prune", "--older-than", "30", "--db", db]);
    expect(none.code, none.stderr).toBe(0);
    expect(jsonLines(none.stdout)).toEqual([{ pruned: 0, decidedBefore: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(count(decidedWithBody)).toBe(decided);

    const all = await runCli(["prune", "--older-than", "0", "--db", db]);
    expect(all.code, all.stderr).toBe(0);
    expect(jsonLines(all.stdout)[0].pruned).toBe(decided);
    expect(count(decidedWithBody)).toBe(0);
    expect(await decisions()).toBe(audit);
    // The same deliveries again: their bodies are gone, their hashes are not, so nothing is decided twice.
    const again = await runCli(["replay", join(dir, "replay.jsonl"), "--db", db]);
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 3 });
    expect(await decisions()).toBe(audit);
    expect(count(decidedWithBody)).toBe(3);
    const next = await runCli(["prune", "--older-than", "0", "--db", db]);
    expect(jsonLines(next.stdout)[0].pruned).toBe(3);
    expect(count(decidedWithBody)).toBe(0);

    for (const days of ["-1", "1e3", "0x10", "36501"]) {
      const refused = await runCli(["prune", "--older-than", days, "--db", db]);
      expect(refused.code).toBe(64);
      expect(refused.stderr).toContain("--older-than");
    }
    expect((await runCli(["prune", "--db", db])).code).toBe(64);
    // From cron, a mistyped --db created an empty database and reported "pruned 0" for ever.
    const typo = join(dir, "no-such-restock.db");
    const missing = await runCli(["prune", "--older-than", "30", "--db", typo]);
    expect(missing.code).toBe(64);
    expect(existsSync(typo)).toBe(false);
  });
});

describe("restock serve", () => {
  test("names integrations whose marketplace has no adapter of its own loaded", async () => {
    const serveDb = join(dir, "no-adapter.db");
    expect((await runCli(["integrations", "add", "gone-amazon", "-m", "amazon", "--db", serveDb])).code).toBe(0);
    expect((await runCli(["integrations", "add", "own-channel", "-m", "no-reason", "--db", serveDb])).code).toBe(0);
    const { child, exited, stdout } = await startServe(["--db", serveDb, "--port", "0"], {
      env: { RESTOCK_ADAPTERS: "@restock/adapter-no-reason" },
      until: ["no adapter of their own"],
    });
    expect(stdout()).toContain(
      "integrations with no adapter of their own loaded (served by the no-reason fallback, which reads no reasons: under Smart Logic every cancellation restores): gone-amazon (amazon)",
    );
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });

  test("prints where it listens, seeds samples, and on SIGTERM stops after committing what it acknowledged", async () => {
    const serveDb = join(dir, "serve.db");
    const { url, child, exited, stdout } = await startServe(["--db", serveDb, "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "info" },
      until: ["sample-walmart"],
    });
    expect(stdout()).toContain(`restock worker listening on ${url}`);
    expect(stdout()).toContain(`${url}/webhooks/sample-no-reason`);

    const body = channelCancellation("SIG-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${url}/webhooks/sample-no-reason`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "x-restock-token": "sample-secret-no-reason" },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(202));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout()).toContain('"msg":"stopped"');
    const connection = new Database(serveDb, { readonly: true });
    try {
      expect(
        (connection.prepare("SELECT COUNT(*) AS n FROM inbox WHERE integration_id = 'sample-no-reason'").get() as { n: number }).n,
      ).toBe(20);
      expect(connection.prepare("SELECT sku, on_hand FROM inventory").all()).toEqual([{ sku: "MUG", on_hand: 1 }]);
    } finally {
      connection.close();
    }
  });

  test("--seed-samples keeps existing samples, and its banner says which no longer have the sample secret", async () => {
    const serveDb = join(dir, "serve-samples-kept.db");
    expect((await runCli(["integrations", "add", "sample-ebay", "-m", "ebay", "--secret", "not-the-sample-1", "--db", serveDb])).code).toBe(
      0,
    );
    expect((await runCli(["integrations", "add", "sample-wish", "-m", "wish", "--db", serveDb])).code).toBe(0);
    const { child, exited, stdout } = await startServe(["--db", serveDb, "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "warn" },
      until: ["sample-walmart"],
    });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const line = (id: string) =>
      stdout()
        .split("\n")
        .find((text) => text.trimStart().startsWith(`${id} `)) ?? "";
    expect(line("sample-ebay")).toMatch(/\/webhooks\/sample-ebay {2}\(its webhook secret was changed: not the sample one\)$/);
    expect(line("sample-wish")).toMatch(/\/webhooks\/sample-wish {2}\(no webhook secret now: every webhook is refused\)$/);
    expect(line("sample-amazon")).toMatch(/\/webhooks\/sample-amazon$/);
    expect(line("sample-walmart")).toMatch(/\/webhooks\/sample-walmart$/);
  });

  test("decides on its processing thread: /metrics counts the thread's batches, and a redelivery restores nothing twice", async () => {
    const serveDb = join(dir, "serve-thread.db");
    const { url, child, exited, stdout } = await startServe(["--db", serveDb, "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "info", RESTOCK_ACCESS_LOG: "0" },
      until: ["sample-walmart", "processing on a worker thread"],
    });

    // 150 orders of 2 units, each delivered twice, all at once.
    const bodies = Array.from({ length: 150 }, (_, i) => channelCancellation(`THR-${i}`, [{ lineId: "1", sku: "LAMP", quantity: 2 }]));
    const responses = await Promise.all(
      [...bodies, ...bodies].map((body) =>
        fetch(`${url}/webhooks/sample-no-reason`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json", "x-restock-token": "sample-secret-no-reason" },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(300).fill(202));

    // The thread decides; the main thread's /metrics records what it posted.
    const total = (text: string, name: string) =>
      text
        .split("\n")
        .filter((line) => line.startsWith(name))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
    let metrics = "";
    for (let tries = 0; tries < 250; tries++) {
      metrics = await (await fetch(`${url}/metrics`)).text();
      if (total(metrics, "restock_events_processed_total{") >= 300) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(total(metrics, "restock_events_processed_total{")).toBe(300);
    expect(total(metrics, 'restock_events_processed_total{marketplace="no-reason",result="duplicate"}')).toBe(150);
    expect(total(metrics, "restock_units_restored_total{")).toBe(300);
    expect(total(metrics, "restock_batch_duration_seconds_count")).toBeGreaterThan(0);

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout()).not.toContain("processing on the main thread");
    const connection = new Database(serveDb, { readonly: true });
    try {
      expect(connection.prepare("SELECT on_hand FROM inventory WHERE sku = 'LAMP'").get()).toEqual({ on_hand: 300 });
      expect(connection.prepare("SELECT COUNT(*) AS n FROM decisions WHERE sku = 'LAMP'").get()).toEqual({ n: 150 });
      expect(connection.prepare("SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'").get()).toEqual({ n: 0 });
    } finally {
      connection.close();
    }
  });
});
