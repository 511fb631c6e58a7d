import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  adapterFixture,
  amazonFixture,
  type ConsoleWorker,
  launchChromium,
  screenshot,
  shown,
  signIn,
  startConsoleWorker,
} from "./harness.js";

describe("console: try a payload", () => {
  let app: ConsoleWorker;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startConsoleWorker();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, app.url, "/console/try");
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function tryIt(marketplace: string, mode: RegExp, payload: string) {
    await page.goto(`${app.url}/console/try`);
    await page.getByLabel("Marketplace").selectOption(marketplace);
    await page.getByRole("radio", { name: mode }).check();
    await page.getByLabel("Payload").fill(payload);
    await page.getByRole("button", { name: "Show decisions" }).click();
  }

  it("decides an Amazon feed with two reasons per line, and stores nothing", async () => {
    await tryIt("amazon", /^Smart Logic/, amazonFixture("order-acknowledgement-general-adjustment-and-pricing-error.json"));
    expect(await shown(page.getByRole("status"))).toMatch(
      /^Amazon under Smart Logic: 1 cancellation\(s\), 2 line\(s\), 0 ignored event\(s\)\. Read by the amazon adapter .+\. Nothing was stored\.$/,
    );
    const rows = page.locator(".result tbody tr");
    expect(await rows.locator("td.sku").allInnerTexts()).toEqual(["MUG-BLUE-12OZ", "COASTER-SET-4"]);
    expect(await rows.locator(".explanation").allInnerTexts()).toEqual([
      "Restored: Smart Logic, Amazon reason General Adjustment does not say whether the item is still available, and such cancellations are restored",
      "Restored: Smart Logic, Amazon reason Pricing Error means the cancellation was not caused by a stock problem",
    ]);
    // The form keeps what was sent.
    expect(await page.getByLabel("Marketplace").inputValue()).toBe("amazon");
    expect(await page.getByLabel("Payload").inputValue()).toContain("113-1184409-2728390");
    expect(await app.worker.store.queryDecisions({ limit: 10 })).toEqual([]);
    expect(await app.worker.store.inboxDepth()).toBe(0);
  });

  it("shows a Walmart line cancelled under two reasons as partly restored, explaining each reason's units", async () => {
    await tryIt("walmart", /^Smart Logic/, adapterFixture("walmart", "orders-api-line-cancelled-under-two-reasons.json"));
    const row = page.locator(".result tbody tr");
    expect(await shown(row.locator(".badge"))).toBe("Partly restored");
    expect(await shown(row.locator(".explanation"))).toBe(
      "1 unit: Restored: Smart Logic, Walmart reason Customer Requested Seller To Cancel means the cancellation was not caused by a stock problem; " +
        "3 units: Not restored: Smart Logic, Walmart reason Seller Cancel — Out of Stock means the item is no longer available",
    );
  });

  it("tries a payload as large as intake takes: the form's URL-encoding (up to 3 bytes a byte) is not refused as too large", async () => {
    const lines = Array.from({ length: 10_000 }, (_, n) => ({ lineId: `L-${n}`, sku: `SKU-${n}-"quoted"`, quantity: 1, reason: null }));
    const payload = JSON.stringify({ marketplace: "walmart", orderId: "BIG-1", occurredAt: null, lines });
    // Within the worker's body limit (1 MiB) as sent to intake, beyond it as a form sends it.
    expect(payload.length).toBeLessThan(1024 * 1024);
    expect(new URLSearchParams({ payload }).toString().length).toBeGreaterThan(1024 * 1024);
    await tryIt("walmart", /^Smart Logic/, payload);
    expect(await shown(page.getByRole("status"))).toMatch(/: 1 cancellation\(s\), 10000 line\(s\), 0 ignored event\(s\)\./);
  });

  it("highlights an unknown reason code and says it was treated as ambiguous", async () => {
    await tryIt("amazon", /^Smart Logic/, amazonFixture("order-acknowledgement-unknown-code.json"));
    const row = page.locator(".result tbody tr");
    expect(await row.getAttribute("class")).toBe("row-unknown");
    expect(await shown(row.locator("mark"))).toBe("Unknown code");
    expect(await shown(row.locator(".explanation"))).toBe(
      "Restored: Smart Logic, reason code SellerOnVacation is not in Amazon's table, treated as ambiguous",
    );
    await screenshot(page, "try-a-payload");
  });

  it("says an inferred reason was read from the payload, not from a buyer-request flag it did not have", async () => {
    // Newegg's auto-void flag, Walmart's webhook sub-event, eBay's unpaid cancellation: no reason code was sent.
    await tryIt("newegg", /^Smart Logic/, adapterFixture("newegg", "order-info-voided-auto-void.json"));
    expect(await shown(page.locator(".result .explanation"))).toBe(
      "Restored: Smart Logic, Newegg reason Auto-Void (Newegg voided the order) does not say whether the item is still available, " +
        "and such cancellations are restored (no reason code was sent: the reason was inferred from the payload)",
    );
    // The reason column says so too: the code shown is the adapter's, not one Newegg sent.
    expect(
      await shown(
        page
          .locator(".result tbody tr td")
          .filter({ has: page.locator("code") })
          .last(),
      ),
    ).toMatch(/^AUTO_VOID \(inferred: no code was sent\)/);
    await tryIt("walmart", /^Smart Logic/, adapterFixture("walmart", "order-updates-fraud-cancel.json"));
    expect(await shown(page.locator(".result .explanation"))).not.toContain("buyer-request flag");
    await tryIt("ebay", /^Smart Logic/, adapterFixture("ebay", "post-order-cancellation-closed-for-commitment-unpaid.json"));
    expect(await page.locator(".result .explanation").allInnerTexts()).not.toContainEqual(expect.stringContaining("buyer-request flag"));
  });

  // A line cancelled in parts: a part whose reason the adapter inferred said nothing of it, while
  // the same reason on a line of its own did.
  it("says a part's inferred reason was inferred, on a line cancelled under several reasons", async () => {
    const canonical = JSON.stringify({
      marketplace: "walmart",
      orderId: "PO-PARTS-1",
      occurredAt: null,
      lines: [
        {
          lineId: "1",
          sku: "PARTS-MUG",
          quantity: 3,
          reason: { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
          reasonParts: [
            { reason: { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" }, quantity: 2 },
            { reason: { code: "PO_LINE_AUTOCANCELLED", derived: true }, quantity: 1 },
          ],
        },
      ],
    });
    await tryIt("walmart", /^Smart Logic/, canonical);
    const explanation = await shown(page.locator(".result .explanation"));
    const [customer, autocancelled] = explanation.split("; ");
    expect(customer).not.toContain("inferred");
    expect(autocancelled).toMatch(/^1 unit: .*\(no reason code was sent: the reason was inferred from the payload\)$/);
  });

  it("reads a payload that starts with a byte order mark, as intake does", async () => {
    // Saved by an editor that writes one (Notepad's "UTF-8 with BOM") and pasted with it.
    const payload = `\ufeff${adapterFixture("shopify", "orders-cancelled-customer.json")}`;
    const pushed = await app.push("shopify-acme", payload, "application/json");
    expect(pushed.status).toBe(202);
    await tryIt("shopify", /^Smart Logic/, payload);
    expect(await page.getByRole("heading", { name: "What the worker would decide" }).isVisible()).toBe(true);
    expect(await shown(page.getByRole("status"))).toMatch(/^Shopify under Smart Logic: 1 cancellation\(s\)/);
  });

  it("follows the chosen mode", async () => {
    const noInventory = amazonFixture("order-acknowledgement-no-inventory.xml");
    await tryIt("amazon", /^Always Restore/, noInventory);
    // No integration is set to it here: the mode is the one chosen on the form.
    expect(await shown(page.locator(".result .explanation"))).toBe("Restored: the mode tried is Always Restore");
    await tryIt("amazon", /^Smart Logic/, noInventory);
    expect(await shown(page.locator(".result .explanation"))).toBe(
      "Not restored: Smart Logic, Amazon reason No Inventory means the item is no longer available",
    );
  });

  it("explains an event that is recognised and ignored", async () => {
    await tryIt("amazon", /^Smart Logic/, amazonFixture("order-change-buyer-requested-change.json"));
    expect(await shown(page.locator(".result .ignored li"))).toBe(
      "BuyerRequestedChange (order 113-4417732-9051623): Ignored: a cancellation was requested but has not been completed. No inventory changes.\n" +
        "the buyer asked to cancel; the order is not cancelled yet",
    );
  });

  it("shows why a malformed payload would be refused, naming the field", async () => {
    await tryIt("amazon", /^Smart Logic/, amazonFixture("malformed-order-acknowledgement-missing-sku.xml"));
    expect(await page.getByRole("heading", { name: "The payload was refused" }).isVisible()).toBe(true);
    expect(await shown(page.getByRole("alert"))).toContain("the SKU is required");
    expect(await shown(page.getByRole("alert").locator("code"))).toBe("AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].SKU");
    await tryIt("shopify", /^Smart Logic/, "not json at all");
    expect(await shown(page.getByRole("alert"))).toContain("body is not valid JSON");
  });

  it("names the field a near-miss canonical cancellation lacks, as intake refuses it, not the adapter's 'unrecognised payload'", async () => {
    // A host's cancellation without a line's reason key: intake answers 400 naming lines[0].reason.
    const payload = JSON.stringify({
      marketplace: "amazon",
      orderId: "N-2",
      occurredAt: null,
      lines: [{ lineId: "1", sku: "A", quantity: 1 }],
    });
    const pushed = await app.push("amazon-us", payload, "application/json");
    expect(pushed.status).toBe(400);
    expect(pushed.body.field).toBe("lines[0].reason");
    await tryIt("amazon", /^Smart Logic/, payload);
    expect(await shown(page.getByRole("alert"))).toContain(pushed.body.message as string);
    expect(await shown(page.getByRole("alert").locator("code"))).toBe("lines[0].reason");
  });
});
