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
    expect(await page.locator("b", { hasText: "MUG" }).count()).toBe(0);
    await screenshot(page, "console-sink-undelivered");

    refusing = false;
    await until(async () => (await app.worker.store.outboxDepth()) === 0);
    await page.reload();
    expect(await shown(page.locator("main"))).toContain("Your inventory service has acknowledged every adjustment.");
  });
});
