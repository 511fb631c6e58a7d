import { afterAll, beforeAll, expect, test } from "vitest";
import { csrfPairFor, postForm, signInByForm, signOutByForm } from "../helpers/console-session.js";
import { API_TOKEN, startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

// Several workers behind a load balancer share the database: a session signed out on one must be
// refused by all of them, not only by the browser that dropped its cookie.

let database: TestDatabase;
let one: TestWorker;
let two: TestWorker;

beforeAll(async () => {
  database = await createTestDatabase();
  one = await startWorker(tempDir(), { databaseUrl: database.url });
  two = await startWorker(tempDir(), { databaseUrl: database.url });
  await one.worker.settings.put("amz-1", { marketplace: "amazon" }, "api");
});
afterAll(async () => {
  await two?.stop();
  await one?.stop();
  await database?.drop();
});

const page = (t: TestWorker, session: string) =>
  t.worker.http.inject({ method: "GET", url: "/console/integrations", cookies: { restock_session: session } });
const api = (t: TestWorker, session: string) =>
  t.worker.http.inject({ method: "GET", url: "/v1/integrations", cookies: { restock_session: session } });

test("a session signed out on one worker is refused by another on the database; another session goes on working", async () => {
  const signedOut = await signInByForm(one.worker.http, API_TOKEN);
  const other = await signInByForm(two.worker.http, API_TOKEN);
  for (const t of [one, two]) expect((await page(t, signedOut)).statusCode).toBe(200);
  const csrf = await csrfPairFor(two.worker.http, signedOut);

  const out = await signOutByForm(one.worker.http, signedOut);
  expect(out.statusCode).toBe(303);
  expect(out.headers.location).toBe("/console/sign-in?signed-out=1");

  for (const t of [two, one]) {
    const refused = await page(t, signedOut);
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toMatch(/^\/console\/sign-in\?next=/);
    expect((await api(t, signedOut)).statusCode).toBe(401);
    const form = await postForm(t.worker.http, "/console/integrations/amz-1", signedOut, csrf, { mode: "never" });
    expect(form.statusCode).toBe(401);
  }
  expect((await one.worker.settings.get("amz-1"))?.mode).toBe("smart");
  for (const t of [one, two]) {
    expect((await page(t, other)).statusCode).toBe(200);
    expect((await api(t, other)).statusCode).toBe(200);
  }
});
