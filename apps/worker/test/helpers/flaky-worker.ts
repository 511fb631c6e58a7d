import { fileURLToPath } from "node:url";
import { startWorker, type TestWorker } from "./start-worker.js";

/** The switches test/fixtures/flaky-adapter.mjs reads from globalThis.__flaky (see that file). */
export interface FlakySwitches {
  broken: Set<string>;
  rejected: Set<string>;
  parses: number;
}

/** The flaky adapter's switches, shared with the adapter module whichever of the two is loaded first. */
export function flakySwitches(): FlakySwitches {
  const global = globalThis as unknown as { __flaky?: FlakySwitches };
  global.__flaky ??= { broken: new Set<string>(), rejected: new Set<string>(), parses: 0 };
  return global.__flaky;
}

/** A worker (SQLite in `dir`) with the flaky adapter loaded and its integration "fl" created. */
export async function startFlakyWorker(dir: string, flags: Record<string, unknown>): Promise<TestWorker> {
  const worker = await startWorker(dir, {
    adapters: [fileURLToPath(new URL("../fixtures/flaky-adapter.mjs", import.meta.url)), "@restock/adapter-no-reason"],
    ...flags,
  });
  await worker.worker.settings.put("fl", { marketplace: "flaky", webhookSecret: "flaky-secret-1" }, "api");
  return worker;
}
