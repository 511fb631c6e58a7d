import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { random } from "../helpers/generate-events.js";
import { generateLoad, LOAD_INTEGRATIONS, type LoadEvent } from "../support/cancellation-load.js";
import { checkLedger } from "../support/check-ledger.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

/**
 * Four real worker processes (`node dist/cli.js serve` with DATABASE_URL, each on its own loopback
 * port) share one database. About 20,000 canonical cancellations (several integrations across
 * marketplaces and modes, partial cancellations, several lines, redeliveries) go in random order to
 * random instances over HTTP while instances are killed with SIGKILL and restarted (five times,
 * spread over the delivery). A delivery counts only on a 202; anything else is sent again to another
 * instance. At the end the ledger must be exactly what the events say (see checkLedger).
 */

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const API_TOKEN = "multi-process-test-token-0123456789";
const WORKERS = 4;
const ORDERS = 7700;
const IN_FLIGHT = 64;
/** An instance is killed (SIGKILL) and restarted each time another sixth of the events has been acknowledged. */
const KILLS = 5;

interface Instance {
  child: ChildProcess;
  url: string;
  alive: boolean;
  exited: Promise<number | null>;
  stderr: string[];
}

let database: TestDatabase;
const instances: (Instance | undefined)[] = [];

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the worker first (pnpm -F @restock/worker build)`);
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const instance of instances) if (instance?.alive) instance.child.kill("SIGKILL");
  await Promise.all(instances.map((instance) => instance?.exited));
  await database?.drop();
});

/** Starts `restock serve` on a free loopback port; resolves once it prints the address it listens on. */
function startInstance(slot: number): Promise<Instance> {
  const child = spawn(process.execPath, [cli, "serve", "--host", "127.0.0.1", "--port", "0"], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      RESTOCK_API_TOKEN: API_TOKEN,
      RESTOCK_LOG_LEVEL: "warn",
      RESTOCK_ACCESS_LOG: "0",
      RESTOCK_POLL_MS: "250",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`worker ${slot} did not start in 20 s:\n${out}\n${stderr.join("")}`)), 20_000);
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      const instance: Instance = { child, url: match[1]!, alive: true, exited, stderr };
      instances[slot] = instance;
      resolve(instance);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${slot} exited with ${code} before listening:\n${stderr.join("")}`));
    });
  });
}

// node:http with keep-alive: lighter than fetch, and the client shares the 2 cores with everything else.
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function post(instance: Instance, path: string, body: string, method = "POST"): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(instance.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: hostname,
        port,
        path,
        method,
        agent,
        timeout: 15_000,
        headers: { authorization: `Bearer ${API_TOKEN}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8").on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(body);
  });
}

async function query<R extends pg.QueryResultRow>(sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

test("four worker processes on one database, killed and restarted under load, apply every event exactly once", async () => {
  const started = Date.now();
  const load = generateLoad(ORDERS, 20_260_306);
  const next = random(99);
  await Promise.all(Array.from({ length: WORKERS }, (_, slot) => startInstance(slot)));

  for (const { id, marketplace, account, mode } of LOAD_INTEGRATIONS) {
    const answer = await post(instances[0]!, `/v1/integrations/${id}`, JSON.stringify({ marketplace, account, mode }), "PUT");
    expect(answer.status, answer.body).toBe(201);
  }

  const unexpected: string[] = [];
  let resent = 0;
  let acknowledged = 0;
  /** Sends until some instance answers 202; a killed or stopping instance's failure is sent again to another. */
  async function deliver(event: LoadEvent): Promise<void> {
    for (;;) {
      const live = instances.filter((instance): instance is Instance => instance?.alive === true);
      const instance = live[Math.floor(next() * live.length)];
      if (instance) {
        const answer = await post(instance, `/v1/integrations/${event.integrationId}/cancellations`, event.body).catch(() => undefined);
        if (answer?.status === 202) {
          acknowledged += 1;
          return;
        }
        // 5xx: the instance is stopping or lost its database connection. Anything else is a bug.
        if (answer && answer.status < 500) unexpected.push(`${answer.status} ${answer.body}`);
      }
      resent += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  let delivering = true;
  let kills = 0;
  // Kills by progress rather than by time, so that a fast or a slow machine sees the same number: an
  // instance is killed each time another sixth of the deliveries is acknowledged. New deliveries wait
  // at each mark until its kill is sent (the requests in flight go on), so the last kills cannot be
  // outrun by the end of the load while an earlier victim restarts.
  const killMark = (kill: number) => ((kill + 1) * load.events.length) / (KILLS + 1);
  let killsSent = 0;
  const chaos = (async () => {
    while (delivering && kills < KILLS) {
      if (acknowledged < killMark(kills)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      const slot = Math.floor(next() * WORKERS);
      const victim = instances[slot]!;
      victim.alive = false;
      victim.child.kill("SIGKILL");
      killsSent += 1;
      await victim.exited;
      kills += 1;
      await startInstance(slot);
    }
  })();

  const queue = [...load.events];
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let event = queue.pop(); event; event = queue.pop()) {
        while (killsSent < KILLS && acknowledged >= killMark(killsSent)) await new Promise((resolve) => setTimeout(resolve, 5));
        await deliver(event);
      }
    }),
  );
  const delivered = Date.now();
  delivering = false;
  await chaos;
  expect(unexpected).toEqual([]);

  // Every event was acknowledged: the workers drain the inbox.
  let pending = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 300 && pending > 0; i++) {
    pending = (await query<{ n: number }>("SELECT COUNT(*)::int AS n FROM inbox WHERE status = 'pending'"))[0]!.n;
    if (pending > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(pending).toBe(0);
  const drained = Date.now();

  // A graceful stop of every instance (SIGTERM) ends with exit code 0.
  for (const instance of instances) {
    instance!.alive = false;
    instance!.child.kill("SIGTERM");
  }
  expect(await Promise.all(instances.map((instance) => instance!.exited))).toEqual(Array(WORKERS).fill(0));

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const summary = await checkLedger(client, load);
    // Resent deliveries may have been stored before their instance died: extra copies, applied as duplicates.
    expect(summary.inboxRows).toBeGreaterThanOrEqual(load.events.length);
    expect(summary.applied).toBe(load.bodies.size);
    expect(kills).toBe(KILLS);
    console.info(
      `multi-process: ${load.events.length} events (${load.bodies.size} distinct bodies, ${load.lines.length} lines, ` +
        `${summary.inboxRows} inbox rows, ${summary.duplicates} duplicates), ${WORKERS} workers, ${kills} SIGKILLs, ` +
        `${resent} resends; delivered in ${((delivered - started) / 1000).toFixed(1)} s, ` +
        `drained ${((drained - delivered) / 1000).toFixed(1)} s later, ${summary.unitsRestored} units restored`,
    );
  } finally {
    await client.end();
  }
}, 150_000);
