import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOpenLetter } from "../../src/store/types.js";
import {
  ADMIN_TOKEN,
  amazonFixture,
  type ConsoleWorker,
  launchChromium,
  screenshot,
  shown,
  signIn,
  startConsoleWorker,
} from "./harness.js";

describe("console: dead letter", () => {
  let app: ConsoleWorker;
  let browser: Browser;
  let page: Page;
  let rejectionId: number;
  const missingSku = amazonFixture("malformed-order-acknowledgement-missing-sku.xml");

  beforeAll(async () => {
    app = await startConsoleWorker();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, app.url, "/console/dead-letters");
    const pushed = await app.push("amazon-us", missingSku, "application/xml");
    expect(pushed.status).toBe(400);
    rejectionId = pushed.body.rejectionId as number;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** An Amazon XML delivery kept as a dead letter, as the store keeps rejections; its id. */
  async function keepRejection(xml: string | Buffer, error: string): Promise<number> {
    const receipt = await app.worker.store.appendIntake({
      events: [],
      rejections: [
        {
          integrationId: "amazon-us",
          source: "api",
          contentType: "application/xml",
          body: Buffer.from(xml),
          error,
          field: null,
          receivedAt: Date.now(),
        },
      ],
    });
    return receipt.rejectionIds[0]!;
  }

  it("lists a rejected delivery with its error and field", async () => {
    await page.goto(`${app.url}/console/dead-letters`);
    const row = page.locator("tbody tr");
    expect(await row.count()).toBe(1);
    const cells = await row.locator("td").allInnerTexts();
    expect(cells[0]).toBe(String(rejectionId));
    expect(cells[2]).toBe("amazon-us");
    expect(cells[3]).toBe("Rejected at intake");
    expect(cells[4]).toContain("the SKU is required");
    expect(cells[4]).toContain("Field: AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].SKU");
    expect(cells[5]).toBe("Waiting");
    await screenshot(page, "dead-letter");
  });

  // At 375 px the detail page was 716 px wide (a long field path in a grid column sized to its
  // content), and the list 937 px (the controls' hidden names, absolutely placed, escaped the
  // table's own scroll box): the whole page scrolled sideways.
  it("fits a phone's width: the letter's facts wrap and the list scrolls only inside its table", async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 800 } });
    try {
      await signIn(phone, app.url, "/console/dead-letters");
      const pageWidth = () => phone.evaluate(() => document.documentElement.scrollWidth);
      expect(await pageWidth()).toBeLessThanOrEqual(375);
      await phone.goto(`${app.url}/console/dead-letters/${rejectionId}`);
      expect(await phone.getByText("AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].SKU").count()).toBeGreaterThan(0);
      expect(await pageWidth()).toBeLessThanOrEqual(375);
    } finally {
      await phone.close();
    }
  });

  it("counts a rejected delivery as the integration's last event", async () => {
    await page.goto(`${app.url}/console/integrations`);
    const letter = await app.worker.store.getDeadLetter(rejectionId);
    const amazon = await page.locator("tbody tr", { hasText: "amazon-us" }).locator("td").allInnerTexts();
    expect(amazon[2]).toBe(`${new Date(letter!.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC`);
    const shopify = await page.locator("tbody tr", { hasText: "shopify-acme" }).locator("td").allInnerTexts();
    expect(shopify[2]).toBe("None yet");
  });

  it("shows the payload exactly as received, as text", async () => {
    await page.goto(`${app.url}/console/dead-letters`);
    await page.getByRole("link", { name: `View payload of dead letter ${rejectionId}` }).click();
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe(`Dead letter #${rejectionId}`);
    expect(await page.locator("pre.payload").textContent()).toBe(missingSku);
    // The XML is text in the page, not elements of it.
    expect(await page.locator("AmazonEnvelope").count()).toBe(0);
    await screenshot(page, "dead-letter-payload");
  });

  it("downloads the payload byte for byte", async () => {
    const link = page.getByRole("link", { name: "Download the payload byte for byte" });
    expect(await link.getAttribute("href")).toBe(`/console/dead-letters/${rejectionId}/body`);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`dead-letter-${rejectionId}.xml`);
    expect(readFileSync((await download.path())!, "utf8")).toBe(missingSku);
    expect(await page.getByText("These bytes are not valid UTF-8").count()).toBe(0);
  });

  it("retries it: the payload still fails, and a new dead letter says why", async () => {
    await page.getByRole("button", { name: `Retry dead letter ${rejectionId}` }).click();
    await page.waitForURL(`${app.url}/console/dead-letters/${rejectionId}?retried=1`);
    const status = await shown(page.getByRole("status"));
    expect(status).toMatch(/^Retried: rejected again as dead letter (\d+)\.$/);
    const again = Number(/dead letter (\d+)/.exec(status)![1]);
    expect(again).toBeGreaterThan(rejectionId);
    expect(await page.getByRole("button", { name: /^Retry/ }).count()).toBe(0);
    // A warning, not a success: the retry ran, but nothing was taken; the new letter is one click away.
    expect(await page.getByRole("status").getAttribute("class")).toBe("notice warning");
    expect(
      await page
        .getByRole("status")
        .getByRole("link", { name: String(again) })
        .getAttribute("href"),
    ).toBe(`/console/dead-letters/${again}`);

    await page.goto(`${app.url}/console/dead-letters`);
    expect(await page.locator("tbody tr td:first-child").allInnerTexts()).toEqual([String(again)]);
    await page.getByLabel("Include letters already retried").check();
    await page.getByRole("button", { name: "Filter" }).click();
    expect(await page.locator("tbody tr td:first-child").allInnerTexts()).toEqual([String(again), String(rejectionId)]);
  });

  it("retries a rejected delivery that now validates into a new event", async () => {
    // A delivery an older adapter version refused and today's adapter reads (the usual story of a fix), kept as the store keeps rejections.
    const fixed = amazonFixture("order-acknowledgement-no-inventory.xml");
    const id = await keepRejection(fixed, "rejected by an older adapter version");
    await page.goto(`${app.url}/console/dead-letters/${id}`);
    await page.getByRole("button", { name: `Retry dead letter ${id}` }).click();
    const status = await shown(page.getByRole("status"));
    const eventId = Number(/^Retried: accepted as event (\d+)\.$/.exec(status)![1]);
    const event = await app.processed(eventId);
    expect(event.status).toBe("done");
    const decisions = await app.worker.store.queryDecisions({ eventId, limit: 10 });
    expect(decisions.map((d) => [d.orderId, d.sku, d.quantity, d.restore, d.rule])).toEqual([
      ["113-4417732-9051623", "MUG-BLUE-12OZ", 2, false, "smart.do_not_restore"],
    ]);
  });

  it("lists a letter whose retry crashed as being retried, and retries it once that claim is stale", async () => {
    const id = await keepRejection(missingSku, "the SKU is required");
    // A retry claimed it two minutes ago and never finished (its process died).
    const claimedAt = Date.now() - 120_000;
    expect(await app.worker.store.claimDeadLetterRetry(id, claimedAt, claimedAt - 60_000)).toBe(true);
    await page.goto(`${app.url}/console/dead-letters`);
    const row = page.locator("tbody tr", { hasText: `View payload of dead letter ${id}` });
    expect((await row.locator("td").allInnerTexts())[5]).toMatch(/^Being retried since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await row.getByRole("button", { name: `Retry dead letter ${id}` }).click();
    expect(await shown(page.getByRole("status"))).toMatch(/^Retried: rejected again as dead letter \d+\.$/);
  });

  it("says when the bytes are not UTF-8 (the text shows �), and still downloads them as they came; not without a session", async () => {
    // Latin-1 bytes (é as 0xE9), refused as not UTF-8: the page shows � and the download the bytes.
    const latin1 = Buffer.from(missingSku.replace("</AmazonEnvelope>", "<!-- caf\u00e9 --></AmazonEnvelope>"), "latin1");
    const id = await keepRejection(latin1, "body is not valid UTF-8 text");
    await page.goto(`${app.url}/console/dead-letters/${id}`);
    expect(await shown(page.getByText("These bytes are not valid UTF-8"))).toContain("the text below shows �");
    expect(await page.locator("pre.payload").textContent()).toContain("caf\ufffd");
    const bytes = await page.context().request.get(`${app.url}/console/dead-letters/${id}/body`);
    expect(bytes.status()).toBe(200);
    expect(bytes.headers()["content-type"]).toBe("application/xml");
    expect(bytes.headers()["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.from(await bytes.body())).toEqual(latin1);

    // Without a session, no bytes.
    const stranger = await browser.newContext();
    const refused = await stranger.request.get(`${app.url}/console/dead-letters/${id}/body`, { maxRedirects: 0 });
    expect(refused.status()).toBe(303);
    expect(refused.headers().location).toBe(`/console/sign-in?next=${encodeURIComponent(`/console/dead-letters/${id}/body`)}`);
    await stranger.close();
  });

  // The console answered 409 to every retry that did not go through, where the API answers 404 for a
  // letter that does not exist and 503 (with Retry-After) for one the worker cannot take now.
  it("answers a retry the worker cannot take now 503 with Retry-After, as the API does, and a missing letter's 404", async () => {
    const dir = mkdtempSync(join(tmpdir(), "restock-console-no-adapter-"));
    const dbPath = join(dir, "worker.db");
    let letterId: number;
    const before = await startConsoleWorker({ dbPath });
    try {
      await before.worker.settings.put("ebay-1", { marketplace: "ebay", account: "acme-store" }, "api");
      const pushed = await before.push("ebay-1", '{"orders": "not a list"}', "application/json");
      expect(pushed.status).toBe(400);
      letterId = pushed.body.rejectionId as number;
    } finally {
      await before.stop();
    }
    // The same database, on a worker that loads no eBay adapter (and no fallback).
    const without = await startConsoleWorker({ dbPath, adapters: ["@restock/adapter-amazon", "@restock/adapter-shopify"] });
    try {
      const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const retry = async (id: number) => {
        const form = await without.worker.http.inject({ method: "GET", url: "/console/dead-letters", headers: bearer });
        return without.worker.http.inject({
          method: "POST",
          url: `/console/dead-letters/${id}/retry`,
          headers: { ...bearer, "content-type": "application/x-www-form-urlencoded" },
          cookies: { restock_csrf: form.cookies.find((cookie) => cookie.name === "restock_csrf")!.value },
          payload: new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)![1]! }).toString(),
        });
      };
      const unavailable = await retry(letterId);
      expect(unavailable.statusCode).toBe(503);
      expect(unavailable.headers["retry-after"]).toBe("10");
      expect(unavailable.body).toContain("no adapter is loaded for marketplace");
      expect(isOpenLetter((await without.worker.store.getDeadLetter(letterId))!)).toBe(true);
      expect((await retry(999_999)).statusCode).toBe(404);
    } finally {
      await without.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers 404 for a letter that does not exist", async () => {
    const response = await page.goto(`${app.url}/console/dead-letters/999999`);
    expect(response?.status()).toBe(404);
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("No such dead letter");
    const notANumber = await page.goto(`${app.url}/console/dead-letters/abc`);
    expect(notANumber?.status()).toBe(404);
    expect(await shown(page.getByRole("alert"))).toContain("There is no dead letter #abc.");
  });
});
