import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  type ConsoleWorker,
  canonicalCancellation,
  launchChromium,
  screenshot,
  shown,
  signIn,
  startConsoleWorker,
} from "./harness.js";

const SCRIPT_SKU = "<script>alert(1)</script>";
const IMAGE_CODE = '"><img src=x onerror=alert(2)>';

describe("console: escaping, CSRF and the shared permission check", () => {
  let app: ConsoleWorker;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    app = await startConsoleWorker();
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, app.url);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows a SKU and a reason code holding markup as text: no script element, no dialog", async () => {
    const body = canonicalCancellation("amazon", "114-0000000-0000666", { lineId: "L1", sku: SCRIPT_SKU, quantity: 1, reason: IMAGE_CODE });
    const pushed = await app.push("amazon-us", body, "application/json");
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);

    await page.goto(`${app.url}/console/decisions?order=114-0000000-0000666`);
    const row = page.locator("tbody tr");
    expect(await row.count()).toBe(1);
    expect(await shown(row.locator("td.sku"))).toBe(SCRIPT_SKU);
    expect(await page.getByText(SCRIPT_SKU, { exact: true }).isVisible()).toBe(true);
    expect(await shown(row.locator("code"))).toBe(IMAGE_CODE);
    // An unknown code is highlighted and explained.
    expect(await shown(row.locator("mark.unknown-code"))).toBe("Unknown code");
    expect(await row.getAttribute("class")).toBe("row-unknown");
    expect(await shown(row.locator(".explanation"))).toBe(
      `Restored: Smart Logic, reason code ${IMAGE_CODE} is not in Amazon's table, treated as ambiguous`,
    );
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    const html = await (await context.request.get(`${app.url}/console/decisions?order=114-0000000-0000666`)).text();
    expect(html).toContain("&lt;script>alert(1)&lt;/script>");
    expect(html).not.toContain(SCRIPT_SKU);
  });

  it("shows a reason code's bidirectional controls as visible marks: a right-to-left override in it does not reverse the console's own words", async () => {
    const code = "Fo\u202eo";
    const body = canonicalCancellation("amazon", "114-0000000-0000777", { lineId: "L1", sku: "MUG", quantity: 1, reason: code });
    const pushed = await app.push("amazon-us", body, "application/json");
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);

    await page.goto(`${app.url}/console/decisions?order=114-0000000-0000777`);
    const row = page.locator("tbody tr");
    expect(await shown(row.locator(".explanation"))).toBe(
      "Restored: Smart Logic, reason code Fo[U+202E]o is not in Amazon's table, treated as ambiguous",
    );
    expect(await shown(row.locator("code"))).toBe("Fo[U+202E]o");
    expect(await shown(row.locator("mark.unknown-code"))).toBe("Unknown code");
  });

  it("refuses a form sent without its CSRF token with a 403 page that says what happened", async () => {
    await page.goto(`${app.url}/console/integrations/amazon-us`);
    await page.locator('input[name="_csrf"]').evaluateAll((inputs) => {
      for (const input of inputs) input.remove();
    });
    await page.getByRole("radio", { name: /^Never Restore/ }).check();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Save" }).click(),
    ]);
    expect(response.status()).toBe(403);
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("This form was refused");
    expect(await shown(page.getByRole("alert"))).toContain(
      "The form did not carry this console's security token, or the token has expired, so nothing was changed.",
    );
    expect(await page.getByRole("link", { name: "Back to the page" }).getAttribute("href")).toBe("/console/integrations/amazon-us");
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("smart");
    await screenshot(page, "form-refused");
  });

  it("refuses a forged CSRF token the same way", async () => {
    const response = await context.request.post(`${app.url}/console/integrations/amazon-us`, {
      form: { mode: "never", _csrf: "forged-token-value" },
    });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain("This form was refused");
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("smart");
  });

  it("refuses a CSRF token made for another session (or none): a cookie and token pair from the sign-in page cannot be tossed in", async () => {
    // What anyone gets without signing in: the public sign-in page's CSRF cookie and token.
    const form = await app.worker.http.inject({ method: "GET", url: "/console/sign-in" });
    const tossed = form.cookies.find((cookie) => cookie.name === "restock_csrf")!;
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const session = (await context.cookies()).find((cookie) => cookie.name === "restock_session")!;
    const send = (csrfCookie: string, csrf: string) =>
      app.worker.http.inject({
        method: "POST",
        url: "/console/integrations/amazon-us",
        cookies: { restock_session: session.value, restock_csrf: csrfCookie },
        payload: new URLSearchParams({ mode: "never", _csrf: csrf }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    const refused = await send(tossed.value, token);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("This form was refused");
    // The same through a proxy that adds the bearer token instead of a session.
    const viaBearer = await app.worker.http.inject({
      method: "POST",
      url: "/console/integrations/amazon-us",
      cookies: { restock_csrf: tossed.value },
      payload: new URLSearchParams({ mode: "never", _csrf: token }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(viaBearer.statusCode).toBe(403);
    // And with a session cookie of the attacker's choosing tossed in beside the bearer token: the
    // bearer token decides the permission, so the CSRF token must be bound to it, not to that cookie.
    const chosen = await app.worker.http.inject({ method: "GET", url: "/console/sign-in", cookies: { restock_session: "chosen" } });
    const chosenPair = {
      cookie: chosen.cookies.find((cookie) => cookie.name === "restock_csrf")!.value,
      token: /name="_csrf" value="([^"]+)"/.exec(chosen.body)![1]!,
    };
    const besideBearer = await app.worker.http.inject({
      method: "POST",
      url: "/console/integrations/amazon-us",
      cookies: { restock_session: "chosen", restock_csrf: chosenPair.cookie },
      payload: new URLSearchParams({ mode: "never", _csrf: chosenPair.token }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(besideBearer.statusCode).toBe(403);
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("smart");

    // The same session's own page's pair is taken.
    const page = await app.worker.http.inject({
      method: "GET",
      url: "/console/integrations/amazon-us",
      cookies: { restock_session: session.value },
    });
    const own = page.cookies.find((cookie) => cookie.name === "restock_csrf")!;
    const ownToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const taken = await send(own.value, ownToken);
    expect(taken.statusCode).toBe(303);
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("never");
    await app.worker.settings.put("amazon-us", { mode: "smart" }, "api");
  });

  it("lets the session read the API (the CSV link) but not change it; the bearer token still can", async () => {
    await page.goto(`${app.url}/console/decisions?order=114-0000000-0000666`);
    const csv = await context.request.get(`${app.url}${await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("114-0000000-0000666");

    const change = await context.request.put(`${app.url}/v1/integrations/amazon-us`, { data: { mode: "never" } });
    expect(change.status()).toBe(401);
    const withToken = await fetch(`${app.url}/v1/integrations/amazon-us`, {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ mode: "always" }),
    });
    expect(withToken.status).toBe(200);
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("always");
    // A wrong bearer token is refused even next to a valid session cookie.
    const wrong = await context.request.get(`${app.url}/v1/integrations`, { headers: { authorization: "Bearer wrong-token-0123456789" } });
    expect(wrong.status()).toBe(401);
  });

  it("sends a visitor without a session to sign in, and refuses their forms", async () => {
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    await other.goto(`${app.url}/console/dead-letters?kind=rejected`);
    expect(new URL(other.url()).pathname).toBe("/console/sign-in");
    expect(new URL(other.url()).searchParams.get("next")).toBe("/console/dead-letters?kind=rejected");
    const post = await stranger.request.post(`${app.url}/console/integrations/amazon-us`, { form: { mode: "never" } });
    expect(post.status()).toBe(401);
    expect(await post.text()).toContain("Please sign in again");
    // Its Sign in link comes back to the page the form was on (its Referer), and to nowhere else.
    const from = await stranger.request.post(`${app.url}/console/integrations/amazon-us`, {
      form: { mode: "never" },
      headers: { referer: `${app.url}/console/integrations/amazon-us?saved=1` },
    });
    expect(await from.text()).toContain('href="/console/sign-in?next=%2Fconsole%2Fintegrations%2Famazon-us%3Fsaved%3D1"');
    for (const referer of ["https://evil.example/steal", `${app.url}/console/..%2f..%2fv1`, "not a url"]) {
      const elsewhere = await stranger.request.post(`${app.url}/console/integrations/amazon-us`, {
        form: { mode: "never" },
        headers: { referer },
      });
      expect(await elsewhere.text()).toContain('href="/console/sign-in"');
    }
    expect((await stranger.request.get(`${app.url}/v1/decisions`)).status()).toBe(401);
    await stranger.close();
  });

  it("answers an address with no page 404, keeping the navigation and Sign out for a signed-in user only", async () => {
    const response = await page.goto(`${app.url}/console/nope`);
    expect(response?.status()).toBe(404);
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Page not found");
    expect(await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Dead letter" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(1);
    const stranger = await browser.newContext();
    const other = await stranger.newPage();
    expect((await other.goto(`${app.url}/console/nope`))?.status()).toBe(404);
    expect(await other.getByRole("navigation", { name: "Console" }).count()).toBe(0);
    await stranger.close();
  });

  it("signs out: the session cookie is gone and pages ask to sign in again", async () => {
    await page.goto(`${app.url}/console/integrations`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/console\/sign-in\?signed-out=1$/);
    expect(await shown(page.getByRole("status"))).toBe("You are signed out.");
    expect((await context.cookies()).some((cookie) => cookie.name === "restock_session")).toBe(false);
    await page.goto(`${app.url}/console/integrations`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
  });
});

describe("console: signing out in a second tab", () => {
  it("says you are signed out, not that the form was refused, when the session already ended in another tab", async () => {
    const app = await startConsoleWorker();
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const first = await context.newPage();
      await signIn(first, app.url);
      const second = await context.newPage();
      await second.goto(`${app.url}/console/decisions`);

      await first.getByRole("button", { name: "Sign out" }).click();
      await first.waitForURL(/\/console\/sign-in\?signed-out=1$/);
      // The second tab still shows its page, with a Sign out button whose session is gone.
      const [response] = await Promise.all([
        second.waitForResponse((r) => r.request().method() === "POST"),
        second.getByRole("button", { name: "Sign out" }).click(),
      ]);
      expect(response.status()).toBe(303);
      await second.waitForURL(/\/console\/sign-in\?signed-out=1$/);
      expect(await shown(second.getByRole("status"))).toBe("You are signed out.");
    } finally {
      await browser.close();
      await app.stop();
    }
  });
});

describe("console: signing in in a second tab", () => {
  it("opens the page asked for when another tab signed in first, rather than refusing the form", async () => {
    const app = await startConsoleWorker();
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      const first = await context.newPage();
      const second = await context.newPage();
      // Both tabs show the sign-in page, each on its way to another console page.
      await first.goto(`${app.url}/console/decisions`);
      await second.goto(`${app.url}/console/try`);
      await first.getByLabel("Admin token").fill(ADMIN_TOKEN);
      await first.getByRole("button", { name: "Sign in" }).click();
      await first.waitForURL(`${app.url}/console/decisions`);

      await second.getByLabel("Admin token").fill(ADMIN_TOKEN);
      const [response] = await Promise.all([
        second.waitForResponse((r) => r.request().method() === "POST"),
        second.getByRole("button", { name: "Sign in" }).click(),
      ]);
      expect(response.status()).toBe(303);
      await second.waitForURL(`${app.url}/console/try`);
      expect(await shown(second.getByRole("heading", { level: 1 }))).toBe("Try a payload");
    } finally {
      await browser.close();
      await app.stop();
    }
  });
});

describe("console cookies behind TLS", () => {
  it("marks the session and CSRF cookies Secure when secureCookies is set", async () => {
    const app = await startConsoleWorker({ secureCookies: true });
    try {
      const form = await app.worker.http.inject({ method: "GET", url: "/console/sign-in" });
      const csrfCookie = form.cookies.find((cookie) => cookie.name === "restock_csrf")!;
      expect(csrfCookie).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict", path: "/console" });
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      const signedIn = await app.worker.http.inject({
        method: "POST",
        url: "/console/sign-in",
        cookies: { restock_csrf: csrfCookie.value },
        payload: new URLSearchParams({ _csrf: token, token: ADMIN_TOKEN, next: "/console/decisions" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(signedIn.statusCode).toBe(303);
      expect(signedIn.headers.location).toBe("/console/decisions");
      const session = signedIn.cookies.find((cookie) => cookie.name === "restock_session");
      expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict", path: "/" });
    } finally {
      await app.stop();
    }
  });
});
