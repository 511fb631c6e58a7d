import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { loadConfig } from "../../src/config/load-config.js";
import type { EventRecord } from "../../src/store/types.js";
import { createWorker, type Worker } from "../../src/worker.js";

export const ADMIN_TOKEN = "console-admin-token-0123456789";
export const CHROMIUM = "/usr/bin/chromium";

/** Screenshots of every page, for people to look at: <repo>/artifacts/screenshots/. */
export const SCREENSHOTS = fileURLToPath(new URL("../../../../artifacts/screenshots/", import.meta.url));

export interface ConsoleWorker {
  worker: Worker;
  url: string;
  /** POST /v1/integrations/:id/cancellations with the bearer token; the answer's JSON and status. */
  push(integrationId: string, body: string, contentType: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Waits until processing has finished an event. */
  processed(eventId: number): Promise<EventRecord>;
  stop(): Promise<void>;
}

/**
 * A real worker: SQLite in a temp folder, every bundled adapter, HTTP on a loopback port,
 * processing running. Two integrations: Amazon (Smart Logic, the default) and Shopify.
 */
export async function startConsoleWorker(flags: Record<string, unknown> = {}): Promise<ConsoleWorker> {
  const dir = mkdtempSync(join(tmpdir(), "restock-console-"));
  const config = loadConfig({
    flags: { dbPath: join(dir, "worker.db"), host: "127.0.0.1", port: 0, logLevel: "silent", apiToken: ADMIN_TOKEN, ...flags },
  });
  const worker = await createWorker(config);
  await worker.settings.put("amazon-us", { marketplace: "amazon", account: "acme-store" }, "api");
  await worker.settings.put("shopify-acme", { marketplace: "shopify", account: "acme-store", mode: "always" }, "api");
  const url = await worker.listen();

  async function processed(eventId: number): Promise<EventRecord> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const event = await worker.store.getEvent(eventId);
      if (event && event.status !== "pending") return event;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`event ${eventId} was not processed within 5 s`);
  }

  return {
    worker,
    url,
    async push(integrationId, body, contentType) {
      const response = await fetch(`${url}/v1/integrations/${integrationId}/cancellations`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": contentType },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    processed,
    async stop() {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A real, headless Chromium: Debian's package. Missing, the console tests fail and say how to get it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}, and the console tests drive a real browser. ` +
        "Install it with `apt-get install chromium`, or run `pnpm test` at the repository root (it installs the system packages it needs).",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens a console page; when not signed in, the sign-in page comes first and leads back to it. */
export async function signIn(page: Page, url: string, path = "/console/integrations", token = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.getByLabel("Admin token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${url}${path}`);
}

/** Amazon's cancel feed (OrderAcknowledgement, StatusCode Failure) for one item, as the seller's system sends it. */
export function amazonCancelFeed(orderId: string, item: { itemCode: string; sku: string; quantity: number; reason: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header>
    <DocumentVersion>1.01</DocumentVersion>
    <MerchantIdentifier>M_ACME</MerchantIdentifier>
  </Header>
  <MessageType>OrderAcknowledgement</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <OrderAcknowledgement>
      <AmazonOrderID>${orderId}</AmazonOrderID>
      <StatusCode>Failure</StatusCode>
      <Item>
        <AmazonOrderItemCode>${item.itemCode}</AmazonOrderItemCode>
        <SKU>${item.sku}</SKU>
        <CancelReason>${item.reason}</CancelReason>
        <Quantity>${item.quantity}</Quantity>
      </Item>
    </OrderAcknowledgement>
  </Message>
</AmazonEnvelope>
`;
}

/** A canonical cancellation, as a host service pushes it. */
export function canonicalCancellation(
  marketplace: string,
  orderId: string,
  line: { lineId: string; sku: string; quantity: number; reason: string | null },
) {
  return JSON.stringify({
    marketplace,
    orderId,
    occurredAt: null,
    lines: [{ lineId: line.lineId, sku: line.sku, quantity: line.quantity, reason: line.reason === null ? null : { code: line.reason } }],
  });
}

export function amazonFixture(name: string): string {
  return adapterFixture("amazon", name);
}

export function adapterFixture(marketplace: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../../packages/adapter-${marketplace}/__fixtures__/${name}`, import.meta.url)), "utf8");
}

/** The text a person sees in an element (Playwright's rendered innerText: hidden text left out, line breaks kept). */
export function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's rendered text is what the test is about.
  return locator.innerText();
}
