import { afterAll, beforeAll, expect, test } from "vitest";
import { createAdminAccess, SESSION_COOKIE } from "../src/http/admin-access.js";
import type { Store } from "../src/store/store.js";
import { API_TOKEN, startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
let failing: "none" | "queries" | "ping" | "ping hangs" = "none";
let t: TestWorker;

/** The store, with its decision query or its ping failing on demand (a database gone mid-request). */
function breakable(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === "queryDecisions" && failing === "queries") return async () => Promise.reject(new Error("disk I/O error"));
      if (key === "ping" && failing === "ping") return async () => Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:5432"));
      // A database cut off on the network: no answer, no reset.
      if (key === "ping" && failing === "ping hangs") return () => new Promise(() => {});
      return Reflect.get(target, key, receiver);
    },
  });
}

beforeAll(async () => {
  t = await startWorker(dir, {}, { wrapStore: breakable });
});
afterAll(() => t.stop());

// Behind a proxy with HTTP Basic auth, the browser sends its Basic credentials on every request:
// the Authorization header decided alone, so the session cookie was never read and sign-in looped.
test("a console session works alongside another Authorization scheme (a proxy's Basic auth); only a bearer token decides alone", async () => {
  const session = createAdminAccess({ apiToken: API_TOKEN, sessions: t.worker.store }).issueSession();
  const basic = `Basic ${Buffer.from("proxy-user:proxy-pass").toString("base64")}`;
  const cookie = `${SESSION_COOKIE}=${encodeURIComponent(session)}`;
  const page = await t.request("GET", "/console/integrations", { headers: { authorization: basic, cookie }, token: false });
  expect(page.status).toBe(200);
  const api = await t.request("GET", "/v1/integrations", { headers: { authorization: basic, cookie }, token: false });
  expect(api.status).toBe(200);
  // Without the session, Basic credentials are no credentials.
  expect((await t.request("GET", "/v1/integrations", { headers: { authorization: basic }, token: false })).status).toBe(401);
  const signIn = await t.request("GET", "/console/integrations", { headers: { authorization: basic }, token: false });
  expect(signIn.redirected || signIn.url.includes("/console/sign-in")).toBe(true);
  // A wrong bearer token still fails, whatever the cookie says.
  expect(
    (await t.request("GET", "/v1/integrations", { headers: { authorization: "Bearer wrong-token", cookie }, token: false })).status,
  ).toBe(401);
});

test("a CSV export whose query fails answers a JSON 500, not a decisions.csv download holding Fastify's error", async () => {
  failing = "queries";
  try {
    const response = await t.request("GET", "/v1/decisions.csv");
    expect(response.status).toBe(500);
    expect(response.headers.get("content-disposition")).toBeNull();
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ statusCode: 500, error: "Internal Server Error", message: "internal error" });
  } finally {
    failing = "none";
  }
});

test("/readyz (no token) says the database does not answer, without its error: no host, port or path", async () => {
  failing = "ping";
  try {
    const response = await t.request("GET", "/readyz", { token: false });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "database unavailable" });
  } finally {
    failing = "none";
  }
  expect((await t.request("GET", "/readyz", { token: false })).status).toBe(200);
});

// /readyz awaited the ping without a deadline: a database cut off on the network left every probe
// unanswered for minutes (each holding a pooled connection), where /metrics answered in 2 s.
test("/readyz answers 503 when the database does not answer at all, as a scrape does, instead of hanging", async () => {
  failing = "ping hangs";
  try {
    // The probe's own deadline is the store read's (2 s); this abort only keeps a regression from hanging the run.
    const response = await t.request("GET", "/readyz", { token: false, signal: AbortSignal.timeout(15_000) });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "database unavailable" });
    const metrics = await (await t.request("GET", "/metrics", { token: false, signal: AbortSignal.timeout(15_000) })).text();
    expect(metrics).toContain("restock_store_up 0");
  } finally {
    failing = "none";
  }
});

// Fastify set requestTimeout on Node's server after making it, which left Node's headersTimeout at
// 60 s: a body that stopped coming held its connection and buffer for 75-88 s (measured: 87.7 s,
// and 32.6 s with both given to Node when the server is made). Node's own limits are what close it.
test("a request that stops arriving is bounded by Node's own limits: 30 s for headers and body, checked every 5 s", () => {
  const server = t.worker.http.server;
  expect([server.requestTimeout, server.headersTimeout]).toEqual([30_000, 30_000]);
});

// Fastify's 414 quoted the whole path back (and logged it with a stack, per request).
test("a path segment over 512 characters gets a short 414 that does not quote the path", async () => {
  const long = "a".repeat(600);
  const response = await t.request("POST", `/webhooks/${long}`, { body: "{}", contentType: "application/json", token: false });
  expect(response.status).toBe(414);
  expect(await response.json()).toEqual({
    statusCode: 414,
    error: "URI Too Long",
    message: "a path segment is longer than 512 characters",
  });
});
