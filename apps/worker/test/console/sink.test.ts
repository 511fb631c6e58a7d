import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/until.js";
import { type ConsoleWorker, canonicalCancellation, launchChromium, screenshot, shown, signIn, startConsoleWorker } from "./harness.js";

describe("console: host sink", () => {
  let app: ConsoleWorker;
  let browser: Browser;
  let page: Page;
  let host: Server;
  let refusing = true;

  beforeAll(async () => {
    // The host's inventory service: refuses every adjustment until told otherwise.
    host = createServer((request, response) => {
      request.resume();
      request.on("end", () => response.writeHead(refusing ? 422 : 200).end());
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(host.address() as AddressInfo).port}/adjustments`;
    app = await startConsoleWorker({ "sink.url": url, "sink.retryBaseMs": 100, "sink.retryMaxMs": 200, "sink.pollMs": 20 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, app.url, "/console/sink");
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    host?.close();
  });

  it("shows the switch and what the host has not acknowledged, with the host's answer; then that everything went through", async () => {
    // A SKU with markup in it: the page shows it as text.
    const sku = "<b>MUG</b>";
    const pushed = await app.push(
      "shopify-acme",
      canonicalCancellation("shopify", "S-1001", { lineId: "1", sku, quantity: 2, reason: null }),
      "application/json",
    );
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);
    await until(async () => ((await app.worker.store.listUndelivered(0, 1))[0]?.attempts ?? 0) >= 1);

    await page.goto(`${app.url}/console/sink`);
    expect(await page.getByRole("link", { name: "Host sink" }).getAttribute("aria-current")).toBe("page");
    const facts = await shown(page.locator("dl.facts"));
    expect(facts).toContain("On");
    expect(facts).toContain("a process with a sink URL started");
    const row = page.getByRole("row", { name: /S-1001/ });
    const cells = await row.getByRole("cell").allInnerTexts();
    expect(cells.slice(2, 8)).toEqual(["shopify-acme", "S-1001", sku, "+2", expect.stringMatching(/^[1-9]\d*$/), "host answered 422"]);
    // The key the host's records know it by: its id and decision time.
    expect(cells[9]).toMatch(new RegExp(`^${cells[0]}-\\d{13}$`));
    expect(await page.locator("b", { hasText: "MUG" }).count()).toBe(0);
    await screenshot(page, "console-sink-undelivered");

    refusing = false;
    await until(async () => (await app.worker.store.outboxDepth()) === 0);
    await page.reload();
    expect(await shown(page.locator("main"))).toContain("Your inventory service has acknowledged every adjustment.");
  });

  it("pages through more than a page of unacknowledged adjustments, and says so when a page link is malformed", async () => {
    refusing = true;
    // One cancellation of 55 lines: 55 adjustments, over the page's 50.
    const lines = Array.from({ length: 55 }, (_, i) => ({ lineId: String(i + 1), sku: `PAGE-SKU-${i + 1}`, quantity: 1, reason: null }));
    const body = JSON.stringify({ marketplace: "shopify", orderId: "S-2001", occurredAt: null, lines });
    const pushed = await app.push("shopify-acme", body, "application/json");
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);
    expect(await app.worker.store.outboxDepth()).toBe(55);

    await page.goto(`${app.url}/console/sink`);
    const skus = () => page.locator("tbody tr td:nth-child(5)").allInnerTexts();
    const first = await skus();
    expect(first).toEqual(lines.slice(0, 50).map((line) => line.sku));
    await page.getByRole("link", { name: "Later adjustments" }).click();
    await page.waitForURL(/\/console\/sink\?after=\d+$/);
    expect(await skus()).toEqual(lines.slice(50).map((line) => line.sku));
    expect(await page.getByRole("link", { name: "Later adjustments" }).count()).toBe(0);

    const malformed = await page.goto(`${app.url}/console/sink?after=tenth`);
    expect(malformed?.status()).toBe(400);
    expect(await shown(page.getByRole("alert"))).toMatch(/^This page link cannot be used: after: .+ Show the oldest adjustments$/);
    expect(await page.locator("tbody tr").count()).toBe(0);
    await page.getByRole("link", { name: "Show the oldest adjustments" }).click();
    expect(await skus()).toEqual(first);

    refusing = false;
    await until(async () => (await app.worker.store.outboxDepth()) === 0);
  });
});

describe("console: host sink turned off", () => {
  let app: ConsoleWorker;
  let browser: Browser;

  beforeAll(async () => {
    // No sink URL: a new database does not queue adjustments for a host.
    app = await startConsoleWorker();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("says restored units are not sent while queueing is off, not that the inventory service acknowledged them", async () => {
    const pushed = await app.push(
      "shopify-acme",
      canonicalCancellation("shopify", "S-3001", { lineId: "1", sku: "MUG", quantity: 2, reason: null }),
      "application/json",
    );
    await app.processed(pushed.body.eventId as number);
    expect((await app.worker.store.hostSink()).enabled).toBe(false);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, app.url, "/console/sink");
    const main = await shown(page.locator("main"));
    expect(main).not.toContain("Every restored unit is sent to your inventory service");
    expect(main).not.toContain("Your inventory service has acknowledged every adjustment.");
    expect(await shown(page.locator("p.lead"))).toBe(
      "Queueing is off: restored units are recorded in the ledger but not sent to an inventory service. " +
        "A worker started with a sink URL turns it on, as does restock sink enable.",
    );
    expect(main).toContain("Nothing is waiting to be sent.");
    await screenshot(page, "console-sink-off");
  });

  it("says the switch was set when the database was set up, not by a 'migration 7' a seller cannot place", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, app.url, "/console/sink");
    const facts = await shown(page.locator("dl.facts"));
    expect(facts).not.toMatch(/migration/);
    expect(facts).toMatch(/^Queueing adjustments\s+Off\s+since \d{4}-\d\d-\d\d \d\d:\d\d UTC \(set up with this database\)/);
  });
});
