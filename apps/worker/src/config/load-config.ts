import { readFileSync } from "node:fs";
import { decodeUtf8 } from "@restock/core";
import { z } from "zod";
import { issuePath } from "./issue-path.js";
import { jsonErrorPlace } from "./json-error-position.js";
import { WorkerConfig } from "./schema.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Environment variables and the config key each one sets. */
const ENV: Record<string, string> = {
  RESTOCK_HOST: "host",
  RESTOCK_PORT: "port",
  RESTOCK_DB: "dbPath",
  RESTOCK_DB_PATH: "dbPath",
  DATABASE_URL: "databaseUrl",
  RESTOCK_API_TOKEN: "apiToken",
  RESTOCK_SESSION_SECRET: "sessionSecret",
  RESTOCK_SECURE_COOKIES: "secureCookies",
  RESTOCK_ADAPTERS: "adapters",
  RESTOCK_BODY_LIMIT: "bodyLimit",
  RESTOCK_LOG_LEVEL: "logLevel",
  RESTOCK_ACCESS_LOG: "accessLog",
  RESTOCK_SEED_SAMPLES: "seedSamples",
  RESTOCK_BATCH_SIZE: "processing.batchSize",
  RESTOCK_MAX_ATTEMPTS: "processing.maxAttempts",
  RESTOCK_RETRY_BASE_MS: "processing.retryBaseMs",
  RESTOCK_RETRY_MAX_MS: "processing.retryMaxMs",
  RESTOCK_POLL_MS: "processing.pollMs",
  RESTOCK_LINGER_MS: "processing.lingerMs",
  RESTOCK_PROCESSING_THREAD: "processing.thread",
  RESTOCK_PROCESSING_TIMEOUT_MS: "processing.timeoutMs",
  RESTOCK_SINK_URL: "sink.url",
  RESTOCK_SINK_TIMEOUT_MS: "sink.timeoutMs",
  RESTOCK_SINK_CONCURRENCY: "sink.concurrency",
  RESTOCK_SINK_RETRY_BASE_MS: "sink.retryBaseMs",
  RESTOCK_SINK_RETRY_MAX_MS: "sink.retryMaxMs",
  RESTOCK_RETAIN_BODIES_DAYS: "retention.bodiesDays",
  RESTOCK_RETENTION_INTERVAL_MS: "retention.intervalMs",
  RESTOCK_WRITE_TIMEOUT_MS: "writeTimeoutMs",
  RESTOCK_SHUTDOWN_TIMEOUT_MS: "shutdownTimeoutMs",
};

export interface ConfigSources {
  /** Values from command-line flags, by config key (dotted for nested keys); undefined ones are skipped. */
  flags?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** A JSON config file; `RESTOCK_CONFIG` names one when this is absent. */
  file?: string | undefined;
}

/**
 * Configuration: defaults < JSON file < RESTOCK_* environment < flags, validated with zod. A bad
 * value throws a ConfigError naming the key and where it came from.
 */
export function loadConfig(sources: ConfigSources = {}): WorkerConfig {
  const env = sources.env ?? {};
  const merged: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  const file = sources.file ?? env.RESTOCK_CONFIG;
  if (file) {
    const values = readConfigFile(file);
    for (const [key, value] of flatten(values)) set(merged, origin, key, value, `config file ${file}`);
  }
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    set(merged, origin, key, key === "adapters" ? splitList(value) : value, `environment ${name}`);
  }
  for (const [key, value] of Object.entries(sources.flags ?? {})) {
    if (value !== undefined) set(merged, origin, key, value, "command line");
  }
  const result = WorkerConfig.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issuePath(issue).map(String).join(".") || "(config)";
    const from = findOrigin(origin, key) ?? (key === "(config)" ? undefined : originWithin(origin, key));
    throw new ConfigError(`invalid configuration: ${key}${from ? ` (from ${from})` : ""}: ${issue.message}`);
  }
  origins.set(result.data, origin);
  return result.data;
}

/** Where each configuration loadConfig returned got its values, by key (dotted for nested keys). */
const origins = new WeakMap<WorkerConfig, ReadonlyMap<string, string>>();

/**
 * Where `key` of a configuration came from, as errors name it ("environment RESTOCK_DB", "config file
 * x.json", "command line"): "default" when nothing set it, undefined for a configuration loadConfig did not make.
 */
export function configOrigin(config: WorkerConfig, key: string): string | undefined {
  const origin = origins.get(config);
  return origin === undefined ? undefined : (findOrigin(origin, key) ?? "default");
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    // Strict UTF-8, a leading byte-order mark dropped (editors on Windows save one), as every other
    // file and body the worker reads.
    text = decodeUtf8(readFileSync(file));
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the text around the error, which may be a secret (apiToken).
    const where = jsonErrorPlace(text);
    throw new ConfigError(`config file ${file} is not valid JSON${where ? `: ${where}` : ""}`);
  }
  const object = z.record(z.string(), z.unknown()).safeParse(value);
  if (!object.success) throw new ConfigError(`config file ${file} must hold a JSON object`);
  return object.data;
}

/** Nested objects become dotted keys (except records of headers, which are values). */
function flatten(values: Record<string, unknown>, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value) && path !== "sink.headers") {
      out.push(...flatten(value as Record<string, unknown>, path));
    } else out.push([path, value]);
  }
  return out;
}

function set(target: Record<string, unknown>, origin: Map<string, string>, key: string, value: unknown, from: string): void {
  const parts = key.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
  origin.set(key, from);
}

function findOrigin(origin: ReadonlyMap<string, string>, key: string): string | undefined {
  for (let path = key; path; path = path.slice(0, Math.max(0, path.lastIndexOf(".")))) {
    const from = origin.get(path);
    if (from) return from;
    if (!path.includes(".")) break;
  }
  return undefined;
}

/** Where a key under `key` came from: an unknown key that held an object ({"retentoin":{"bodiesDays":30}}) was flattened. */
function originWithin(origin: ReadonlyMap<string, string>, key: string): string | undefined {
  for (const [path, from] of origin) if (path.startsWith(`${key}.`)) return from;
  return undefined;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
