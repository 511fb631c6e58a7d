import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adapterFixture,
  amazonCancelFeed,
  type ConsoleWorker,
  launchChromium,
  screenshot,
  shown,
  signIn,
  startConsoleWorker,
} from "./harness.js";

/**
 * The help page's path, in a real browser against a real worker: Integrations → the Amazon
 * integration → "Inventory Restoration on Order Cancellation" → Never Restore → Save, then a
 * buyer cancellation arrives through the API and the decisions log says why it was not restored.
 */
describe("console: changing the restoration setting", () => {
  let app: ConsoleWorker;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startConsoleWorker();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("asks for the admin token first, and refuses a wrong one", async () => {
    await page.goto(`${app.url}/console/integrations`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await screenshot(page, "sign-in");
    await page.getByLabel("Admin token").fill("not-the-admin-token-at-all");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    expect(response.status()).toBe(401);
    expect(await shown(page.getByRole("alert"))).toContain("That is not this worker's admin token");
  });

  it("signs in and lists the integrations with marketplace, mode and 30-day units", async () => {
    await signIn(page, app.url);
    const amazon = page.locator("tbody tr", { hasText: "amazon-us" });
    expect(await amazon.locator("td").allInnerTexts()).toEqual(["Amazon", "Smart Logic", "None yet", "0", "0"]);
    const shopify = page.locator("tbody tr", { hasText: "shopify-acme" });
    expect(await shown(shopify.locator("td").nth(1))).toBe("Always Restore");
    const cookies = await page.context().cookies();
    const session = cookies.find((cookie) => cookie.name === "restock_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", secure: false, path: "/" });
  });

  it("switches Amazon from Smart Logic to Never Restore, and a BuyerCanceled cancellation is not restored", async () => {
    await page.getByRole("link", { name: "amazon-us" }).click();
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Amazon · amazon-us");
    const group = page.getByRole("group", { name: "Inventory Restoration on Order Cancellation" });
    expect(await group.getByRole("radio", { name: /^Smart Logic/ }).isChecked()).toBe(true);
    // Each choice says what it does and who it is for (rule book §1).
    expect(await shown(page.locator("#mode-never-help"))).toBe(
      "Inventory is never added back when an order is cancelled. For: Sellers whose external inventory system or warehouse (WMS) restocks on its own.",
    );
    await group.getByRole("radio", { name: /^Never Restore/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\?saved=\d+$/);
    expect(await shown(page.getByRole("status"))).toBe(
      "Saved. Inventory Restoration on Order Cancellation changed from Smart Logic to Never Restore. Cancellations processed from now on follow Never Restore; earlier decisions stay as they were.",
    );
    expect(await group.getByRole("radio", { name: /^Never Restore/ }).isChecked()).toBe(true);
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("never");
    // The history says who set it; the notice shows only a change the history holds, not what a link says.
    const history = page.getByRole("table", { name: /latest changes of Inventory Restoration/ });
    expect(await history.locator("tbody tr").first().locator("td").allInnerTexts()).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      "Smart Logic → Never Restore",
      "a seller, through this console",
    ]);
    const saved = page.url();
    for (const forged of ["?saved=smart", "?saved=999999"]) {
      await page.goto(`${app.url}/console/integrations/amazon-us${forged}`);
      expect(await page.getByRole("status").count()).toBe(0);
    }
    await page.goto(saved);

    const feed = amazonCancelFeed("114-3941689-8772232", {
      itemCode: "68828574383266",
      sku: "MUG-BLUE-12OZ",
      quantity: 2,
      reason: "BuyerCanceled",
    });
    const pushed = await app.push("amazon-us", feed, "application/xml");
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);

    await page.getByRole("link", { name: "Decisions" }).click();
    const row = page.locator("tbody tr", { hasText: "114-3941689-8772232" });
    const cells = await row.locator("td").allInnerTexts();
    expect(cells[3]).toBe("MUG-BLUE-12OZ");
    expect(cells[4]).toBe("2 cancelled\nnone restored");
    expect(await shown(row.locator(".badge"))).toBe("Not restored");
    expect(await shown(row.locator(".explanation"))).toBe("Not restored: this integration is set to Never Restore");
    expect(cells[6]).toBe("BuyerCanceled\nBuyer Canceled · spec");
  });

  it("switches back to Smart Logic, and the next BuyerCanceled cancellation is restored", async () => {
    await page.goto(`${app.url}/console/integrations/amazon-us`);
    await page.getByRole("radio", { name: /^Smart Logic/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\?saved=\d+$/);
    expect(await shown(page.getByRole("status"))).toContain("changed from Never Restore to Smart Logic");

    const feed = amazonCancelFeed("114-7720416-1203845", {
      itemCode: "68828574383290",
      sku: "MUG-RED-12OZ",
      quantity: 3,
      reason: "BuyerCanceled",
    });
    const pushed = await app.push("amazon-us", feed, "application/xml");
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);

    await page.goto(`${app.url}/console/decisions?integration=amazon-us`);
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(2);
    // Newest first.
    const cells = await rows.first().locator("td").allInnerTexts();
    expect(cells[0]).toMatch(/^\d{4}-\d{2}-\d{2}\n\d{2}:\d{2} UTC$/);
    expect(cells[2]).toBe("114-7720416-1203845\nline 68828574383290");
    expect(cells[4]).toBe("3 cancelled\n3 restored now");
    expect(await shown(rows.first().locator(".badge"))).toBe("Restored");
    expect(await shown(rows.first().locator(".explanation"))).toBe(
      "Restored: Smart Logic, Amazon reason Buyer Canceled means the cancellation was not caused by a stock problem",
    );
    await screenshot(page, "decisions");
  });

  it("filters the decisions log by outcome of the rule and by SKU", async () => {
    await page.goto(`${app.url}/console/decisions`);
    await page.getByLabel("Rule").selectOption("never");
    await page.getByRole("button", { name: "Filter" }).click();
    expect(new URL(page.url()).searchParams.get("rule")).toBe("never");
    expect(await page.locator("tbody tr td.sku").allInnerTexts()).toEqual(["MUG-BLUE-12OZ"]);
    // The filter stays filled in.
    expect(await page.getByLabel("Rule").inputValue()).toBe("never");

    await page.goto(`${app.url}/console/decisions?sku=MUG-RED-12OZ`);
    expect(await page.locator("tbody tr td.sku").allInnerTexts()).toEqual(["MUG-RED-12OZ"]);
    await page.goto(`${app.url}/console/decisions?from=2000-01-01&to=2000-01-31`);
    expect(await page.getByText("No decisions match.").isVisible()).toBe(true);
    await page.goto(`${app.url}/console/decisions?outcome=sideways`);
    expect(await shown(page.getByRole("alert"))).toContain("This filter cannot be used: outcome");
    // A filter that cannot be used offers no CSV: its link was the unfiltered export, every
    // integration's decisions, under a filter naming one.
    await page.goto(`${app.url}/console/decisions?integration=amazon-us&sku=${"x".repeat(300)}`);
    expect(await shown(page.getByRole("alert"))).toContain("This filter cannot be used: sku");
    expect(await page.getByRole("link", { name: "Download CSV" }).count()).toBe(0);
    // The last day there is: the export's end is left open, not a year-10000 time the API refuses.
    await page.goto(`${app.url}/console/decisions?sku=MUG-RED-12OZ&to=9999-12-31`);
    const csv = await page.request.get(`${app.url}${await page.getByRole("link", { name: "Download CSV" }).getAttribute("href")}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).trim().split("\n")).toHaveLength(2);
  });

  it("shows the units per integration, the Smart Logic table and the chart", async () => {
    await page.goto(`${app.url}/console/integrations`);
    const amazon = page.locator("tbody tr", { hasText: "amazon-us" });
    const cells = await amazon.locator("td").allInnerTexts();
    expect(cells[1]).toBe("Smart Logic");
    expect(cells[2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(cells.slice(3)).toEqual(["3", "2"]);
    await screenshot(page, "integrations");

    await page.getByRole("link", { name: "amazon-us" }).click();
    const table = page.locator("table", { has: page.locator("caption", { hasText: "Amazon cancellation reasons" }) });
    const noInventory = await table.locator("tr", { hasText: "NoInventory" }).locator("td").allInnerTexts();
    expect(noInventory).toEqual(["No Inventory", "NoInventory", "Do not restore", "Spec (published)"]);
    const weather = await table.locator("tr", { hasText: "WeatherDelay" }).locator("td").allInnerTexts();
    expect(weather.slice(1)).toEqual(["WeatherDelay", "Ambiguous (restores)", "Extended"]);
    expect(await page.locator("svg desc").textContent()).toMatch(/: 3 units restored, 2 units withheld\.$/);
    expect(await page.locator("svg rect.bar-restored").count()).toBe(30);
    await screenshot(page, "integration");
  });

  it("saving the default's mode as it is makes it the seller's choice, which the history and an import then keep", async () => {
    await app.worker.settings.put("ebay-default", { marketplace: "ebay", account: "acme-store" }, "api");
    await page.goto(`${app.url}/console/integrations/ebay-default`);
    expect(await page.getByRole("radio", { name: /^Smart Logic/ }).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\?saved=\d+$/);
    expect(await shown(page.getByRole("status"))).toBe(
      "Saved. Inventory Restoration on Order Cancellation stays Smart Logic, now as a seller's choice: a legacy import no longer changes it.",
    );
    const history = page.getByRole("table", { name: /latest changes of Inventory Restoration/ });
    expect(await history.locator("tbody tr").first().locator("td").allInnerTexts()).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      "Smart Logic (chosen again)",
      "a seller, through this console",
    ]);
    const [row] = await app.worker.settings.importLegacy({
      integrations: [{ id: "ebay-default", marketplace: "ebay", restoreQtyOnCancel: false }],
    });
    expect(row).toMatchObject({ change: "kept", mode: "smart" });

    // Saved once more as it is: nothing changed, and the history has no new entry.
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\?saved=unchanged$/);
    expect(await shown(page.getByRole("status"))).toBe(
      "Saved. Inventory Restoration on Order Cancellation is still Smart Logic; nothing changed.",
    );
    expect(await history.locator("tbody tr").count()).toBe(2);
  });

  it("counts a line cancelled under two reasons as its restoring part's units only", async () => {
    await app.worker.settings.put("walmart-parts", { marketplace: "walmart", account: "acme-store" }, "api");
    const pushed = await app.push(
      "walmart-parts",
      adapterFixture("walmart", "orders-api-line-cancelled-under-two-reasons.json"),
      "application/json",
    );
    expect(pushed.status).toBe(202);
    await app.processed(pushed.body.eventId as number);
    await page.goto(`${app.url}/console/decisions?integration=walmart-parts`);
    const row = page.locator("tbody tr");
    expect(await shown(row.locator(".badge"))).toBe("Partly restored");
    // 1 unit at the customer's request (restored), 3 out of stock (withheld): not "none restored".
    expect((await row.locator("td").allInnerTexts())[4]).toBe("4 cancelled\n1 restored now");
  });

  // A line in parts whose units were withheld under Never: after a switch, "2 units: Restored" over
  // those units said stock went back that never did, and under Always the badge said "Restored" for
  // 1 unit of 3 (mode/multi-reason review).
  it("says how many of a line-in-parts' units to restore went back now, when earlier decisions had processed the others", async () => {
    const order = (po: string, statuses: [number, string][]) => {
      const body = JSON.parse(adapterFixture("walmart", "orders-api-line-cancelled-under-two-reasons.json"));
      body.order.purchaseOrderId = po;
      const [line] = body.order.orderLines.orderLine;
      line.item.sku = `SKU-${po}`;
      line.orderLineStatuses.orderLineStatus = statuses.map(([units, reason]) => ({
        status: "Cancelled",
        statusQuantity: { unitOfMeasurement: "EACH", amount: String(units) },
        cancellationReason: reason,
      }));
      return JSON.stringify(body);
    };
    const C = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
    const O = "SELLER_CANCEL_OUT_OF_STOCK";
    const send = async (integration: string, body: string) => {
      const pushed = await app.push(integration, body, "application/json");
      expect(pushed.status).toBe(202);
      await app.processed(pushed.body.eventId as number);
    };
    for (const [integration, later] of [
      ["walmart-never-always", "always"],
      ["walmart-never-smart", "smart"],
    ] as const) {
      await app.worker.settings.put(integration, { marketplace: "walmart", account: "acme-store", mode: "never" }, "api");
      await send(integration, order(`PO-${later}`, [[2, C]]));
      await app.worker.settings.put(integration, { marketplace: "walmart", account: "acme-store", mode: later }, "api");
      await send(
        integration,
        order(`PO-${later}`, [
          [2, C],
          [1, O],
        ]),
      );
    }
    await page.goto(`${app.url}/console/decisions?integration=walmart-never-always`);
    const always = page.locator("tbody tr").first();
    expect(await shown(always.locator(".badge"))).toBe("Partly restored");
    expect((await always.locator("td").allInnerTexts())[4]).toBe("3 cancelled\n1 restored now");
    expect(await shown(always.locator(".explanation"))).toBe(
      "1 of the 3 units to restore went back now; the others had been processed by earlier decisions of this line (restored or withheld). " +
        "By reason: 2 units to restore (this integration is set to Always Restore); 1 unit to restore (this integration is set to Always Restore)",
    );
    await page.goto(`${app.url}/console/decisions?integration=walmart-never-smart`);
    const smart = page.locator("tbody tr").first();
    expect(await shown(smart.locator(".badge"))).toBe("Nothing new to restore");
    expect(await shown(smart.locator(".explanation"))).toBe(
      "Nothing new to restore: the 2 units to restore had been processed by earlier decisions of this line (restored or withheld). " +
        "By reason: 2 units to restore (Smart Logic, Walmart reason Customer Requested Seller To Cancel means the cancellation was not caused by a stock problem); " +
        "1 unit not to restore (Smart Logic, Walmart reason Seller Cancel — Out of Stock means the item is no longer available)",
    );
  });

  // The line's 2 units were withheld (NoInventory); the same 2, now said to be the buyer's, added
  // nothing. The row said "Restored" and "0 restored now, 2 before", with nothing in inventory.
  it("says a restoring decision that added no units restored nothing, not that units were restored before", async () => {
    const line = (reason: string) =>
      JSON.stringify({
        marketplace: "amazon",
        orderId: "114-0000000-0000777",
        occurredAt: null,
        lines: [{ lineId: "L1", sku: "MUG-77", quantity: 2, reason: { code: reason } }],
      });
    for (const reason of ["NoInventory", "BuyerCanceled"]) {
      const pushed = await app.push("amazon-us", line(reason), "application/json");
      await app.processed(pushed.body.eventId as number);
    }
    await page.goto(`${app.url}/console/decisions?sku=MUG-77`);
    const rows = page.locator("tbody tr");
    expect(await rows.locator(".badge").allInnerTexts()).toEqual(["Nothing new to restore", "Not restored"]);
    expect((await rows.first().locator("td").allInnerTexts())[4]).toBe("2 cancelled\nnone restored now");
    expect((await rows.last().locator("td").allInnerTexts())[4]).toBe("2 cancelled\nnone restored");
    expect(await app.worker.store.listInventory({ account: "acme-store", limit: 100 })).not.toContainEqual(
      expect.objectContaining({ sku: "MUG-77" }),
    );
    // Filtering by outcome is by the reason's: the decision that added nothing is still a "Restore" one.
    await page.getByLabel("Reason's outcome").selectOption("restore");
    await page.getByRole("button", { name: "Filter" }).click();
    expect(await page.locator("tbody tr .badge").allInnerTexts()).toEqual(["Nothing new to restore"]);
  });

  // The same row explained itself as "Restored: Smart Logic, ...", under its "Nothing new to restore" badge.
  it("explains a restoring decision that added no units without saying 'Restored'", async () => {
    await page.goto(`${app.url}/console/decisions?sku=MUG-77`);
    expect(await page.locator("tbody tr .explanation").allInnerTexts()).toEqual([
      "Nothing new to restore: all 2 cancelled units of this line were decided earlier. " +
        "Smart Logic, Amazon reason Buyer Canceled means the cancellation was not caused by a stock problem",
      "Not restored: Smart Logic, Amazon reason No Inventory means the item is no longer available",
    ]);
  });

  // Channels without an adapter of their own were named from their id: "Woocommerce", "Target-plus".
  it("names the channels the no-reason adapter serves as sellers know them", async () => {
    for (const marketplace of ["woocommerce", "bigcommerce", "target-plus", "etsy", "some-new-channel"]) {
      await app.worker.settings.put(`shop-${marketplace}`, { marketplace, account: "acme-store" }, "api");
    }
    await page.goto(`${app.url}/console/integrations`);
    const names = await Promise.all(
      ["woocommerce", "bigcommerce", "target-plus", "etsy", "some-new-channel"].map((marketplace) =>
        shown(
          page
            .locator("tbody tr", { hasText: `shop-${marketplace}` })
            .locator("td")
            .first(),
        ),
      ),
    );
    expect(names).toEqual(["WooCommerce", "BigCommerce", "Target Plus", "Etsy", "Some New Channel"]);
    await page.getByRole("link", { name: "shop-target-plus" }).click();
    expect(await shown(page.getByRole("heading", { level: 1 }))).toBe("Target Plus · shop-target-plus");
  });

  // Ids may be 256 characters: one that long pushed the Decision and Reason columns far off to the
  // right inside the table's scroll box, its cell never wrapping.
  it("wraps a 256-character order id in its cell, keeping the decision in view", async () => {
    const orderId = `ORDER-${"7".repeat(250)}`;
    const body = JSON.stringify({
      marketplace: "shopify",
      orderId,
      occurredAt: null,
      lines: [{ lineId: "1", sku: "LONG-ID-MUG", quantity: 1, reason: { code: "customer" } }],
    });
    const pushed = await app.push("shopify-acme", body, "application/json");
    await app.processed(pushed.body.eventId as number);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/console/decisions?sku=LONG-ID-MUG`);
    const row = page.locator("tbody tr", { hasText: "LONG-ID-MUG" });
    expect(await shown(row.locator("td").nth(2))).toContain(orderId.slice(0, 40));
    const decision = await row.locator("td").nth(5).boundingBox();
    expect(decision!.x + decision!.width).toBeLessThanOrEqual(1280);
  });
});
