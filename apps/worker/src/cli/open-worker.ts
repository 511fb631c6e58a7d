import { createWorker, type Worker } from "../worker.js";
import { type ConfigFlags, configFrom, stderrLogger } from "./config-options.js";

/** A worker for one CLI command: database and adapters, no HTTP listener, no background loops. */
export async function withWorker<T>(flags: ConfigFlags, run: (worker: Worker) => Promise<T>): Promise<T> {
  const config = configFrom(flags);
  const worker = await createWorker(config, { logger: stderrLogger(config, flags) });
  try {
    return await run(worker);
  } finally {
    await worker.stop();
  }
}

/** One JSON value per line: easy to read, grep and pipe into jq. */
export function printLines(values: readonly unknown[]): void {
  if (values.length > 0) process.stdout.write(`${values.map((value) => JSON.stringify(value)).join("\n")}\n`);
}
