import { join } from "node:path";
import { loadConfig } from "../../src/config/load-config.js";
import { createLogger } from "../../src/ops/logger.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { createWorker, type Worker } from "../../src/worker.js";

export const API_TOKEN = "test-api-token-0123456789";

export interface TestWorker {
  worker: Worker;
  url: string;
  /** A request to the worker over real HTTP; `token: false` sends no Authorization header. */
  request(
    method: string,
    path: string,
    options?: { body?: string | Uint8Array; contentType?: string; headers?: Record<string, string>; token?: boolean; signal?: AbortSignal },
  ): Promise<Response>;
  /** JSON from an authenticated GET. */
  get<T = Record<string, unknown>>(path: string): Promise<T>;
  /** Processes every due inbox event. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real worker: SQLite file in `dir`, the configured adapter packages, Fastify on a loopback port.
 * The processor loop is not started unless `run` is set, so tests decide when events are processed.
 */
export async function startWorker(
  dir: string,
  flags: Record<string, unknown> = {},
  options: { run?: boolean; wrapStore?: (store: Store) => Store; name?: string } = {},
): Promise<TestWorker> {
  const config = loadConfig({
    flags: { dbPath: join(dir, `${options.name ?? "worker"}.db`), port: 0, logLevel: "silent", apiToken: API_TOKEN, ...flags },
  });
  // SQLite in `dir`, or PostgreSQL when the flags carry a databaseUrl.
  const store = await openStore(config, createLogger(config.logLevel));
  const worker = await createWorker(config, { store: options.wrapStore ? options.wrapStore(store) : store });
  await worker.http.listen({ host: "127.0.0.1", port: 0 });
  if (options.run) await worker.start();
  const address = worker.http.server.address();
  const url = typeof address === "object" && address ? `http://127.0.0.1:${address.port}` : "";
  async function request(method: string, path: string, opts: Parameters<TestWorker["request"]>[2] = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token !== false) headers.authorization = `Bearer ${API_TOKEN}`;
    if (opts.contentType) headers["content-type"] = opts.contentType;
    return fetch(`${url}${path}`, { method, headers, body: (opts.body as BodyInit | undefined) ?? null, signal: opts.signal ?? null });
  }
  return {
    worker,
    url,
    request,
    async get<T>(path: string): Promise<T> {
      const response = await request("GET", path);
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    drain: () => worker.processor.drain(),
    stop: () => worker.stop(),
  };
}
