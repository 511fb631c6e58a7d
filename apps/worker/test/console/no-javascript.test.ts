import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { amazonFixture, type ConsoleWorker, launchChromium, shown, signIn, startConsoleWorker } from "./harness.js";

/** Every page is plain HTML forms and links: a browser with JavaScript off can do everything. */
describe("console with JavaScript disabled", () => {
  let app: ConsoleWorker;
  let browser: Browser;

  beforeAll(async () => {
    app = await startConsoleWorker();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("signs in, saves a mode, and tries a payload", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    // The context really runs no page script.
    await page.setContent(`<p id="probe">off</p><script>document.getElementById("probe").textContent = "on";</script>`);
    expect(await shown(page.locator("#probe"))).toBe("off");
    await signIn(page, app.url, "/console/integrations/shopify-acme");
    await page.getByRole("radio", { name: /^Never Restore/ }).check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\?saved=\d+$/);
    expect(await shown(page.getByRole("status"))).toContain("changed from Always Restore to Never Restore");
    expect((await app.worker.settings.get("shopify-acme"))?.mode).toBe("never");

    await page.getByRole("link", { name: "Try a payload" }).click();
    await page.getByLabel("Marketplace").selectOption("amazon");
    await page.getByLabel("Payload").fill(amazonFixture("order-acknowledgement-no-inventory.xml"));
    await page.getByRole("button", { name: "Show decisions" }).click();
    expect(await shown(page.locator(".result .explanation"))).toBe(
      "Not restored: Smart Logic, Amazon reason No Inventory means the item is no longer available",
    );
    await context.close();
  });

  it("labels every control on every page, and groups the radio buttons in fieldsets with legends", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    async function checkControls(path: string) {
      const controls = page.locator("input:not([type=hidden]), select, textarea");
      const unlabelled = await controls.evaluateAll((elements) =>
        elements.filter((element) => (element as HTMLInputElement).labels?.length === 0).map((element) => element.outerHTML),
      );
      expect(unlabelled, path).toEqual([]);
      const looseRadios = await page
        .locator("input[type=radio]")
        .evaluateAll((radios) => radios.filter((radio) => !radio.closest("fieldset")?.querySelector(":scope > legend")).length);
      expect(looseRadios, path).toBe(0);
      expect(await page.locator("button").evaluateAll((buttons) => buttons.every((button) => button.textContent?.trim())), path).toBe(true);
    }
    await page.goto(`${app.url}/console/sign-in`);
    await checkControls("/console/sign-in");
    await signIn(page, app.url);
    for (const path of [
      "/console/integrations",
      "/console/integrations/amazon-us",
      "/console/decisions",
      "/console/dead-letters",
      "/console/sink",
      "/console/try",
    ]) {
      await page.goto(`${app.url}${path}`);
      await checkControls(path);
    }
    await context.close();
  });

  it("moves through the pages with the keyboard: skip link, navigation, the radio group and Save", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, app.url, "/console/integrations/amazon-us");
    await page.keyboard.press("Tab");
    expect(await shown(page.locator(":focus"))).toBe("Skip to content");
    await page.keyboard.press("Tab");
    expect(await shown(page.locator(":focus"))).toBe("restock Inventory restoration");
    await page.keyboard.press("Tab");
    expect(await shown(page.locator(":focus"))).toBe("Integrations");
    // Focus is visible: the stylesheet's :focus-visible outline.
    expect(await page.locator(":focus").evaluate((element) => getComputedStyle(element).outlineWidth)).toBe("3px");
    await page.locator("#mode-smart").focus();
    await page.keyboard.press("ArrowUp");
    expect(await page.locator("#mode-never").isChecked()).toBe(true);
    await page.keyboard.press("Tab");
    expect(await shown(page.locator(":focus"))).toBe("Save");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\?saved=\d+$/);
    expect((await app.worker.settings.get("amazon-us"))?.mode).toBe("never");
    await context.close();
  });
});
