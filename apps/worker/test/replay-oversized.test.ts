import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { channelCancellation } from "./helpers/payloads.js";
import { runCli } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
const db = join(dir, "replay-oversized.db");

test("replay skips a line longer than 8 × bodyLimit unread, names it, and replays the lines around it", async () => {
  expect((await runCli(["integrations", "add", "big-etsy", "-m", "etsy", "--db", db])).code).toBe(0);
  const event = (orderId: string) =>
    JSON.stringify({
      integrationId: "big-etsy",
      body: JSON.parse(channelCancellation(orderId, [{ lineId: "a", sku: "RING", quantity: 1 }])),
    });
  // With bodyLimit 1,024 bytes, lines over 8,192 bytes are skipped: line 2 is 20,000 bytes with no body anyone could take.
  const file = join(dir, "oversized.jsonl");
  writeFileSync(file, `${event("BIG-1")}\n{"integrationId":"big-etsy","body":"${"z".repeat(19_963)}"}\n${event("BIG-3")}\n`);
  const run = await runCli(["replay", file, "--db", db], { env: { RESTOCK_BODY_LIMIT: "1024" } });
  expect(run.code).toBe(1);
  expect(JSON.parse(run.stdout)).toEqual({
    lines: 3,
    accepted: 2,
    rejected: 0,
    failed: 1,
    byStatus: { 202: 2, unreadable: 1 },
    undecided: 0,
  });
  expect(run.stderr).toContain("line 2: longer than 8192 bytes (8 × bodyLimit); skipped unread");
  const decided = (await runCli(["decisions", "--integration", "big-etsy", "--db", db])).stdout.trim().split("\n");
  expect(decided.map((line) => JSON.parse(line).orderId).sort()).toEqual(["BIG-1", "BIG-3"]);
});

test("a replay whose file ends in a skipped line ends its progress at 100%, not at the share its events held", async () => {
  expect((await runCli(["integrations", "add", "last-etsy", "-m", "etsy", "--db", db])).code).toBe(0);
  const event = JSON.stringify({
    integrationId: "last-etsy",
    body: JSON.parse(channelCancellation("LAST-1", [{ lineId: "a", sku: "RING", quantity: 1 }])),
  });
  const file = join(dir, "ends-oversized.jsonl");
  writeFileSync(file, `${event}\n{"integrationId":"last-etsy","body":"${"z".repeat(19_963)}"}\n`);
  // Progress on (stderr is not a terminal: plain lines, the last one when the replay ends); a window
  // of 1 has the event answered before the long line is read.
  const run = await runCli(["replay", file, "--db", db, "--window", "1"], { env: { RESTOCK_BODY_LIMIT: "1024" } });
  expect(run.code).toBe(1);
  const progress = run.stderr.split("\n").filter((line) => line.startsWith("replay: "));
  expect(progress.at(-1)).toMatch(/^replay: 1 events, 100%, \d+ events\/s, ETA 0s$/);
});
