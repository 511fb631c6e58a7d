import { existsSync } from "node:fs";
import { configOrigin } from "../config/load-config.js";
import type { WorkerConfig } from "../config/schema.js";
import { createWorker, type Worker } from "../worker.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, configFrom, stderrLogger } from "./config-options.js";

/**
 * A worker for one CLI command: database and adapters, no HTTP listener, no background loops.
 * `existing`: the command reads or changes what a database holds (decisions, dead letters, an
 * integration's mode), so a SQLite path with no database is a mistake, not a new database: a typo
 * in --db would otherwise create an empty one and print nothing, as if there were nothing.
 */
export async function withWorker<T>(
  flags: ConfigFlags,
  run: (worker: Worker) => Promise<T>,
  { existing = false }: { existing?: boolean } = {},
): Promise<T> {
  const config = configFrom(flags);
  if (existing && !config.databaseUrl && config.dbPath !== ":memory:" && !existsSync(config.dbPath)) {
    throw new CliError(`no database at ${config.dbPath}: ${checkDbPath(config)}`, EXIT.usage);
  }
  const worker = await createWorker(config, { logger: stderrLogger(config, flags) });
  try {
    return await run(worker);
  } finally {
    await worker.stop();
  }
}

/**
 * Where to fix the path, in the words of what set it: "check --db" sent an operator whose path came
 * from the config file (or RESTOCK_DB_PATH) looking at a flag they had not given.
 */
function checkDbPath(config: WorkerConfig): string {
  const origin = configOrigin(config, "dbPath");
  if (origin === undefined || origin === "default") return "the default path: give --db (or set RESTOCK_DB)";
  // configFrom sets dbPath from --db, the only flag for it.
  if (origin === "command line") return "check --db";
  if (origin.startsWith("environment ")) return `check ${origin.slice("environment ".length)}`;
  return `check dbPath in the ${origin}`;
}

/** One JSON value per line: easy to read, grep and pipe into jq. */
export function printLines(values: readonly unknown[]): void {
  if (values.length > 0) process.stdout.write(`${values.map((value) => JSON.stringify(value)).join("\n")}\n`);
}
