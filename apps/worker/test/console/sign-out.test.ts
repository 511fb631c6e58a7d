import { createHmac } from "node:crypto";
import { Signer } from "@fastify/cookie";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SESSION_TTL_MS } from "../../src/http/admin-access.js";
import type { Store } from "../../src/store/store.js";
import { csrfPairFor, postForm, signInByForm, signOutByForm } from "../helpers/console-session.js";
import { API_TOKEN, startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";

// Signing out only cleared the browser's cookie: a copy of it (a shared machine, a proxy's log, a
// stolen laptop) was taken for the rest of its 8 hours. Now the session's id is revoked in the database.

describe("sign-out on SQLite: two workers on one database file", () => {
  const dir = tempDir();
  let one: TestWorker;
  let two: TestWorker;

  beforeAll(async () => {
    one = await startWorker(dir);
    // The same file, another connection: as a second `restock serve`, or a CLI command, on it.
    two = await startWorker(dir);
    await one.worker.settings.put("amz-1", { marketplace: "amazon" }, "api");
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
  });

  const page = (t: TestWorker, session: string) =>
    t.worker.http.inject({ method: "GET", url: "/console/integrations", cookies: { restock_session: session } });
  const api = (t: TestWorker, session: string) =>
    t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } });

  test("a copy of a signed-out session's cookie is refused by every worker, while another session goes on working", async () => {
    const signedOut = await signInByForm(one.worker.http, API_TOKEN);
    const other = await signInByForm(one.worker.http, API_TOKEN);
    expect(signedOut).not.toBe(other);
    for (const t of [one, two]) {
      expect((await page(t, signedOut)).statusCode).toBe(200);
      expect((await api(t, signedOut)).statusCode).toBe(200);
    }
    // The pair a page of that session carried, kept to try a form with it afterwards.
    const csrf = await csrfPairFor(one.worker.http, signedOut);

    const out = await signOutByForm(one.worker.http, signedOut, csrf);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe("/console/sign-in?signed-out=1");
    expect(out.cookies.find((c) => c.name === "restock_session")?.value).toBe("");

    for (const t of [one, two]) {
      // Pages: off to the sign-in page, as without a session (not "expired").
      const refused = await page(t, signedOut);
      expect(refused.statusCode).toBe(303);
      expect(refused.headers.location).toBe(`/console/sign-in?${new URLSearchParams({ next: "/console/integrations" })}`);
      // The API's read access of sessions (the CSV links) goes too.
      expect((await api(t, signedOut)).statusCode).toBe(401);
      // A form with the session's own CSRF pair changes nothing.
      const form = await postForm(t.worker.http, "/console/integrations/amz-1", signedOut, csrf, { mode: "never" });
      expect(form.statusCode).toBe(401);
      expect(form.body).toContain("Please sign in again");
      // The sign-in page shows its form, rather than send the revoked session on to `next`, which sent it back here.
      const signIn = await t.worker.http.inject({ method: "GET", url: "/console/sign-in", cookies: { restock_session: signedOut } });
      expect(signIn.statusCode).toBe(200);
      expect(signIn.body).toContain('name="token"');
    }
    expect((await one.worker.settings.get("amz-1"))?.mode).toBe("smart");

    // The session not signed out is untouched, on both workers.
    for (const t of [one, two]) {
      expect((await page(t, other)).statusCode).toBe(200);
      expect((await api(t, other)).statusCode).toBe(200);
    }
    // Signing out on the other worker ends it everywhere just the same.
    expect((await signOutByForm(two.worker.http, other)).statusCode).toBe(303);
    expect((await page(one, other)).statusCode).toBe(303);
    expect((await api(one, other)).statusCode).toBe(401);
  });

  test("a session cookie of the format before session ids is taken as expired: its holder signs in again", async () => {
    // As the previous version made it: `<expiresAt>.<token tag>`, signed with the key derived from the token.
    const key = createHmac("sha256", API_TOKEN).update("restock console cookies").digest("base64url");
    const tag = createHmac("sha256", key).update(`session:${API_TOKEN}`).digest("base64url").slice(0, 22);
    const old = new Signer(key).sign(`${Date.now() + SESSION_TTL_MS}.${tag}`);
    const refused = await page(one, old);
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe(`/console/sign-in?${new URLSearchParams({ next: "/console/integrations", expired: "1" })}`);
    expect((await api(one, old)).statusCode).toBe(401);
  });
});

describe("sign-out when the database does not answer", () => {
  let failing: "none" | "unavailable" | "privilege" = "none";
  let t: TestWorker;

  /** The store, with its session look-ups and revocations failing on demand. */
  function breakable(store: Store): Store {
    return new Proxy(store, {
      get(target, key, receiver) {
        if ((key === "isSessionRevoked" || key === "revokeSession") && failing !== "none") {
          const error =
            failing === "unavailable"
              ? new Error("Connection terminated unexpectedly")
              : Object.assign(new Error("permission denied for table revoked_sessions"), { code: "42501" });
          return async () => Promise.reject(error);
        }
        return Reflect.get(target, key, receiver);
      },
    });
  }

  beforeAll(async () => {
    t = await startWorker(tempDir(), {}, { wrapStore: breakable });
  });
  afterAll(() => t?.stop());

  test("a session that cannot be checked is answered 503, never let through; a bearer token does not need the check", async () => {
    const session = await signInByForm(t.worker.http, API_TOKEN);
    const csrf = await csrfPairFor(t.worker.http, session);
    failing = "unavailable";
    try {
      const page = await t.worker.http.inject({ method: "GET", url: "/console/integrations", cookies: { restock_session: session } });
      expect(page.statusCode).toBe(503);
      expect(page.headers["retry-after"]).toBe("10");
      expect(page.body).toContain("The console cannot check your session");
      const api = await t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } });
      expect(api.statusCode).toBe(503);
      expect(api.headers["retry-after"]).toBe("10");
      expect((await t.request("GET", "/v1/integrations")).status).toBe(200);
      // A change a session could not make anyway is refused as it always is (401), without asking the store.
      const change = await t.worker.http.inject({
        method: "PUT",
        url: "/v1/integrations/shop-9",
        cookies: { restock_session: session },
        payload: { marketplace: "shopify" },
      });
      expect(change.statusCode).toBe(401);

      // Sign-out that cannot be recorded says so and keeps the cookie, so that signing out again can end the session.
      const out = await signOutByForm(t.worker.http, session, csrf);
      expect(out.statusCode).toBe(503);
      expect(out.body).toContain("You are not signed out yet");
      expect(out.cookies.find((c) => c.name === "restock_session")).toBeUndefined();

      // Another store error (a missing privilege) is a 500: the session is not let through either.
      failing = "privilege";
      expect(
        (await t.worker.http.inject({ method: "GET", url: "/console/integrations", cookies: { restock_session: session } })).statusCode,
      ).toBe(500);
      expect(
        (await t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } })).statusCode,
      ).toBe(500);
      expect((await signOutByForm(t.worker.http, session, csrf)).statusCode).toBe(500);
    } finally {
      failing = "none";
    }
    expect((await signOutByForm(t.worker.http, session, csrf)).statusCode).toBe(303);
    expect((await t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } })).statusCode).toBe(
      401,
    );
  });
});
