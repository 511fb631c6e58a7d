import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readReplayLine } from "../src/cli/replay-line.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const samples = fileURLToPath(new URL("../../../samples/", import.meta.url));
const dir = tempDir();
let t: TestWorker;

beforeAll(async () => {
  t = await startWorker(dir, { seedSamples: true });
});
afterAll(() => t.stop());

// The README sends these to a worker started with --seed-samples: they must keep working as adapters change.
test("samples/replay.jsonl covers every sample payload and is accepted and decided in full", async () => {
  const lines = readFileSync(`${samples}replay.jsonl`, "utf8").trim().split("\n");
  const payloads = readdirSync(samples).filter((file) => /\.(json|xml)$/.test(file));
  const bodies = new Set(lines.map((line) => readReplayLine(line).body));
  for (const file of payloads) expect(bodies.has(readFileSync(`${samples}${file}`, "utf8")), file).toBe(true);

  for (const line of lines) {
    const event = readReplayLine(line);
    const result = await t.worker.intake.receive({ ...event, source: "replay" });
    expect(result, line.slice(0, 80)).toMatchObject({ status: 202 });
  }
  await t.drain();
  const { decisions } = await t.get<{ decisions: { integrationId: string }[] }>("/v1/decisions?limit=1000");
  const integrations = new Set(decisions.map((d) => d.integrationId));
  for (const marketplace of ["amazon", "ebay", "walmart", "shopify", "wish", "newegg", "reverb", "wayfair", "no-reason"]) {
    expect(integrations.has(`sample-${marketplace}`), marketplace).toBe(true);
  }
});
