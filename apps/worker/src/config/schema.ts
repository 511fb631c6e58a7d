import { z } from "zod";
import type { StoreKind } from "../store/store.js";
import { DEFAULT_PROCESSING_TIMEOUT_MS, DEFAULT_WRITE_TIMEOUT_MS } from "../store/types.js";
import { wholeNumber } from "./whole-number.js";

/** The nine adapters shipped with restock; `@restock/adapter-no-reason` also serves every channel without an adapter. */
export const DEFAULT_ADAPTERS = [
  "@restock/adapter-amazon",
  "@restock/adapter-ebay",
  "@restock/adapter-walmart",
  "@restock/adapter-shopify",
  "@restock/adapter-wish",
  "@restock/adapter-newegg",
  "@restock/adapter-reverb",
  "@restock/adapter-wayfair",
  "@restock/adapter-no-reason",
] as const;

export const FALLBACK_ADAPTER_ID = "no-reason";

const flag = z.union([
  z.boolean(),
  z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => v === "1" || v === "true" || v === "yes"),
]);

export const WorkerConfig = z
  .object({
    host: z.string().min(1).default("127.0.0.1"),
    port: wholeNumber(0, 65535).default(8080),
    dbPath: z.string().min(1).default("./data/restock.db"),
    /** A PostgreSQL URL: selects the PostgreSQL store, shared by every worker pointed at it (else SQLite at dbPath). */
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    /** Bearer token for the /v1 API; without one the API refuses every request. */
    apiToken: z
      .string()
      .min(16, "must be at least 16 characters")
      // Node reads a header's bytes as latin1 and drops its outer blanks: a token with others never matched.
      .regex(/^[\x21-\x7e]*$/, "must be visible ASCII characters (no blanks or accented letters): a header carries no others as typed")
      .optional(),
    /** Signs the admin console's session and CSRF cookies; default: derived from apiToken (a new token ends every session). */
    sessionSecret: z.string().min(32, "must be at least 32 characters").optional(),
    /** Mark console cookies Secure even when the request arrived over plain HTTP (TLS ends at a proxy in front). */
    secureCookies: flag.default(false),
    // `+<package>` entries add to the nine shipped ones: an author adding one adapter had to list all
    // nine, and a list that missed one moved its integrations onto the fallback, which restores all.
    adapters: z
      .array(z.string().min(1))
      .min(1)
      .superRefine((list, context) => {
        const added = list.filter((entry) => entry.startsWith("+"));
        if (added.length > 0 && added.length < list.length) {
          context.addIssue({
            code: "custom",
            message: "mixes +<package> entries (added to the shipped adapters) with plain ones (the whole list): use one form",
          });
        }
        if (added.some((entry) => entry.length === 1)) context.addIssue({ code: "custom", message: "a + entry names no package" });
      })
      .transform((list) =>
        list.every((entry) => entry.startsWith("+")) ? [...new Set([...DEFAULT_ADAPTERS, ...list.map((entry) => entry.slice(1))])] : list,
      )
      .default([...DEFAULT_ADAPTERS]),
    /** Largest accepted request body, bytes. */
    bodyLimit: wholeNumber(1024, 64 * 1024 * 1024).default(1024 * 1024),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Log every HTTP request (method, path, status, time). */
    accessLog: flag.default(true),
    seedSamples: flag.default(false),
    processing: z
      .object({
        /** Events per claim-and-apply transaction; default by store (DEFAULT_BATCH_SIZE). */
        batchSize: wholeNumber(1, 10_000).optional(),
        maxAttempts: wholeNumber(1, 100).default(8),
        retryBaseMs: wholeNumber(1, 3_600_000).default(1000),
        retryMaxMs: wholeNumber(1, 86_400_000).default(300_000),
        pollMs: wholeNumber(10, 60_000).default(1000),
        lingerMs: wholeNumber(0, 1000).default(5),
        /** SQLite: run the processing loop on a worker thread of its own (see createThreadedProcessor). */
        thread: flag.default(true),
        /**
         * PostgreSQL: how long a batch's statement may run before the server cancels it, and half the
         * time after which a batch whose database stopped answering (a network partition) is given up
         * and run again on a fresh connection, instead of waiting on a dead socket for hours.
         */
        timeoutMs: wholeNumber(1000, 3_600_000).default(DEFAULT_PROCESSING_TIMEOUT_MS),
      })
      // Strict like the top level: a misspelt key ({"retention":{"bodiesDay":30}}) is refused, not ignored.
      .strict()
      .prefault({}),
    sink: z
      .object({
        /** The host inventory service: every adjustment is POSTed here once, with an Idempotency-Key. */
        url: z
          .url({ protocol: /^https?$/ })
          // fetch refuses a URL with credentials, and its error (which quotes the URL, password
          // and all) became every adjustment's last error, in the API, the console and the log.
          .refine((url) => {
            // Refinements run after a failed format check too: a URL that does not parse is that check's.
            if (!URL.canParse(url)) return true;
            const { username, password } = new URL(url);
            return username === "" && password === "";
          }, "must not hold credentials: send them in sink.headers (Authorization)")
          .optional(),
        timeoutMs: wholeNumber(100, 120_000).default(10_000),
        concurrency: wholeNumber(1, 256).default(8),
        /** Rows claimed per round, at most `concurrency` (a claimed row is sent at once: its lease covers one request). */
        batchSize: wholeNumber(1, 10_000).default(100),
        retryBaseMs: wholeNumber(1, 3_600_000).default(1000),
        retryMaxMs: wholeNumber(1, 86_400_000).default(300_000),
        pollMs: wholeNumber(10, 60_000).default(1000),
        /** Extra request headers (e.g. Authorization for the host). */
        headers: z.record(z.string(), z.string()).default({}).superRefine(checkSinkHeaders),
      })
      // Strict like the top level: a misspelt key ({"retention":{"bodiesDay":30}}) is refused, not ignored.
      .strict()
      .prefault({}),
    retention: z
      .object({
        /**
         * `restock serve` drops the raw bodies of events decided more than this many days ago, in the
         * background (what `restock prune --older-than` does); unset: bodies are kept.
         */
        bodiesDays: wholeNumber(1, 36_500).optional(),
        /** How often the background prune runs (the first run is at start-up). */
        intervalMs: wholeNumber(60_000, 7 * 86_400_000).default(3_600_000),
      })
      // Strict like the top level: a misspelt key ({"retention":{"bodiesDay":30}}) is refused, not ignored.
      .strict()
      .prefault({}),
    /**
     * How long a delivery's write waits for the database (SQLite's write lock; PostgreSQL's locks, or
     * a server that stops answering) before it fails: the delivery then gets 503 and is sent again,
     * instead of hanging while deliveries pile up in memory behind it.
     */
    writeTimeoutMs: wholeNumber(100, 600_000).default(DEFAULT_WRITE_TIMEOUT_MS),
    shutdownTimeoutMs: wholeNumber(100, 600_000).default(30_000),
  })
  .strict();
export type WorkerConfig = z.infer<typeof WorkerConfig>;
export type WorkerConfigInput = z.input<typeof WorkerConfig>;

/**
 * Events per claim-and-apply transaction when processing.batchSize is not set. SQLite: a commit
 * writes every page the batch dirtied, and decisions and done events add index entries at random
 * keys (order, SKU, body hash), so a larger batch shares those pages among more lines: 2,000 drained
 * a 50k-event inbox 6-32% faster than 500 in four full runs (bench/results: processing-sqlite,
 * both sizes interleaved in each run). A batch holds the event loop for its duration: ~60-90 ms at
 * 2,000 on 2 cores (25 batches in 1.5-2.1 s). PostgreSQL: with several workers, larger batches
 * overlapped less and waited on each other's row locks; 2 workers drained 12-28% slower at 2,000
 * than at 500 (bench/results: processing-postgres).
 */
export const DEFAULT_BATCH_SIZE = { sqlite: 2000, postgres: 500 } as const satisfies Record<StoreKind, number>;

/** The batch size a worker with this configuration uses on a store of this kind (a set value wins). */
export function processingBatchSize(config: WorkerConfig, kind: StoreKind): number {
  return config.processing.batchSize ?? DEFAULT_BATCH_SIZE[kind];
}

/** The headers the sink sets on every request itself (http-sink.ts). */
const SINK_OWNED_HEADERS = new Set(["content-type", "idempotency-key"]);

/**
 * Headers of the connection itself, which fetch (undici) manages: it throws on each request that sets
 * them (UND_ERR_INVALID_ARG, UND_ERR_NOT_SUPPORTED) or, for Content-Length, waits for a body length
 * that never matches, though `new Headers` takes them. `Connection` is refused but for its two plain
 * values.
 */
function isTransportHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower === "connection") return !["close", "keep-alive"].includes(value.trim().toLowerCase());
  return ["content-length", "expect", "keep-alive", "transfer-encoding", "upgrade"].includes(lower);
}

/**
 * `sink.headers` must be headers fetch can send, and not the two the sink owns: refused at start-up
 * naming the header, instead of every delivery failing (and retrying forever) or a request
 * carrying a key the host does not dedupe on.
 */
function checkSinkHeaders(headers: Record<string, string>, ctx: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(headers)) {
    if (SINK_OWNED_HEADERS.has(name.toLowerCase())) {
      ctx.addIssue({ code: "custom", path: [name], message: `the sink sets ${name} itself; remove it from sink.headers` });
      continue;
    }
    if (isTransportHeader(name, value)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: `${name} is the HTTP connection's own header, which fetch sets and refuses to take: remove it from sink.headers`,
      });
      continue;
    }
    try {
      new Headers([[name, value]]);
    } catch {
      ctx.addIssue({ code: "custom", path: [name], message: `not a valid HTTP header name or value: ${JSON.stringify(name)}` });
    }
  }
}
