import { type Command, InvalidArgumentError } from "commander";
import pino from "pino";
import { configOrigin, loadConfig } from "../config/load-config.js";
import type { WorkerConfig } from "../config/schema.js";
import { wholeNumber as wholeNumberRule } from "../config/whole-number.js";
import { createLogger, type Logger } from "../ops/logger.js";
import { CliError, EXIT } from "./cli-error.js";

export interface ConfigFlags {
  config?: string;
  db?: string;
  adapters?: string[];
  logLevel?: string;
}

/** The options every command that reads configuration takes. */
export function withConfigOptions(command: Command): Command {
  return command
    .option("-c, --config <file>", "JSON config file (else $RESTOCK_CONFIG)")
    .option("--db <path>", "SQLite database path (else $RESTOCK_DB, default ./data/restock.db)")
    .option("--adapters <packages>", "comma-separated adapter packages to load (else $RESTOCK_ADAPTERS)", commaList)
    .option("--log-level <level>", "log level (else $RESTOCK_LOG_LEVEL)");
}

export function configFrom(flags: ConfigFlags, extra: Record<string, unknown> = {}): WorkerConfig {
  const config = loadConfig({
    file: flags.config,
    env: process.env,
    flags: { dbPath: flags.db, adapters: flags.adapters, logLevel: flags.logLevel, ...extra },
  });
  refuseDbWithDatabaseUrl(flags, config);
  return config;
}

/**
 * A database URL selects PostgreSQL and dbPath is then unused: a --db given with one would be
 * ignored, and the command would read or change the shared database the operator meant to keep
 * out of it (`set-mode … --db /tmp/scratch.db` with DATABASE_URL exported). Refused instead.
 */
function refuseDbWithDatabaseUrl(flags: ConfigFlags, config: WorkerConfig): void {
  if (flags.db === undefined || !config.databaseUrl) return;
  const from = configOrigin(config, "databaseUrl") ?? "the configuration";
  throw new CliError(
    `--db ${flags.db} names a SQLite database, but a database URL is also set (databaseUrl, from ${from}), which would be used instead: unset one of them`,
    EXIT.usage,
  );
}

/** Commands other than `serve` keep stdout for their output: logs go to stderr, warnings and up by default. */
export function stderrLogger(config: WorkerConfig, flags: ConfigFlags): Logger {
  return createLogger(flags.logLevel ?? (process.env.RESTOCK_LOG_LEVEL ? config.logLevel : "warn"), pino.destination(2));
}

export function commaList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * A command-line whole number from `min` to `max`, read by the configuration's rule (decimal digits
 * only: Number() would read " " as 0, "0x10" as 16 and "1e3" as 1000); a commander argument parser.
 */
export function wholeNumber(min: number, max: number, message: string): (value: string) => number {
  const rule = wholeNumberRule(min, max);
  return (value) => {
    const parsed = rule.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(message);
    return parsed.data;
  };
}

export const positiveInt = wholeNumber(1, Number.MAX_SAFE_INTEGER, "must be a positive integer");
