import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join } from "node:path";
import { type Engine, isPayloadError, restorableQuantity } from "@restock/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import { adapterFixture, walmartSignature } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
let t: TestWorker;
let engine: Engine;

beforeAll(async () => {
  t = await startWorker(dir, { bodyLimit: 4 * 1024 * 1024 });
  // The expectations come from the same adapter packages and core, outside the worker.
  engine = (await loadAdapters(DEFAULT_ADAPTERS)).engine;
});
afterAll(() => t.stop());

interface DecisionView {
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  restoredNow: number;
  restore: boolean;
  mode: string;
  outcome: string;
  rule: string;
  reasonCode: string | null;
  reasonLabel: string | null;
  reasonOrigin: string;
  adapterId: string;
  adapterVersion: string;
}
interface EventView {
  status: string;
  decisions: DecisionView[];
  ignored: { kind: string; reason: string; orderId: string | null }[];
}

let integrationCount = 0;
async function newIntegration(marketplace: string, webhookSecret?: string): Promise<string> {
  const id = `${marketplace}-${++integrationCount}`;
  const response = await t.request("PUT", `/v1/integrations/${id}`, {
    contentType: "application/json",
    body: JSON.stringify({ marketplace, mode: "smart", ...(webhookSecret ? { webhookSecret } : {}) }),
  });
  expect(response.status).toBe(201);
  return id;
}

async function processedEvent(eventId: number): Promise<EventView> {
  await t.drain();
  return t.get<EventView>(`/v1/events/${eventId}`);
}

// The adapters the worker ships, which it loads here: not every packages/adapter-* folder, since an
// adapter made with `pnpm create-adapter` is in the worker's dependencies only once it ships by default.
const packageRequire = createRequire(import.meta.url);
const shippedAdapters = DEFAULT_ADAPTERS.map((name) => {
  const folder = dirname(packageRequire.resolve(`${name}/package.json`));
  return { name, folder, title: basename(folder) };
});

test("the end-to-end loop covers the adapters the worker ships", () => {
  const shipped = ["amazon", "ebay", "walmart", "shopify", "wish", "newegg", "reverb", "wayfair", "no-reason"];
  expect(shippedAdapters.map((adapter) => adapter.name)).toEqual(expect.arrayContaining(shipped.map((id) => `@restock/adapter-${id}`)));
});

describe.each(shippedAdapters)("$title fixtures, end to end", ({ name, folder: packageFolder }) => {
  const folder = join(packageFolder, "__fixtures__");
  const fixtures = readdirSync(folder).filter((file) => /\.(json|xml)$/.test(file) && !file.endsWith(".expected.json"));

  test.each(fixtures)("%s", async (file) => {
    const marketplace = (await import(name)).default.id as string;
    const text = readFileSync(join(folder, file), "utf8");
    const contentType = extname(file) === ".xml" ? "application/xml" : "application/json";
    const integrationId = await newIntegration(marketplace);
    const response = await t.request("POST", `/v1/integrations/${integrationId}/cancellations`, { body: text, contentType });

    if (file.startsWith("malformed-")) {
      let expectedError: unknown;
      try {
        engine.parse(marketplace, text);
      } catch (error) {
        expectedError = error;
      }
      expect(isPayloadError(expectedError), "the adapter rejects it").toBe(true);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { message: string; field: string | null; rejectionId: number };
      expect(answer.message).toBe((expectedError as Error).message);
      expect((await t.worker.store.getDeadLetterBody(answer.rejectionId))?.toString("utf8")).toBe(text);
      return;
    }

    expect(response.status, await response.clone().text()).toBe(202);
    const { eventId } = (await response.json()) as { eventId: number };
    const event = await processedEvent(eventId);
    expect(event.status).toBe("done");

    // Expected: the adapter's parse + core's decision, then the cumulative rule on a fresh integration.
    const evaluation = engine.evaluate({ marketplace, mode: "smart", payload: text });
    // A line cancelled under several reasons restores its restoring parts' units at most.
    const processed = new Map<string, number>();
    const restored = new Map<string, number>();
    const expectedDecisions = evaluation.cancellations.flatMap(({ cancellation, decisions }) =>
      decisions.map((decision) => {
        const key = `${cancellation.orderId}|${decision.lineId}`;
        const before = processed.get(key) ?? 0;
        const increase = Math.max(0, decision.quantity - before);
        processed.set(key, before + increase);
        const restoredSoFar = restored.get(key) ?? 0;
        const restoredNow = Math.min(increase, Math.max(0, restorableQuantity(decision) - restoredSoFar));
        restored.set(key, restoredSoFar + restoredNow);
        return {
          orderId: cancellation.orderId,
          lineId: decision.lineId,
          sku: decision.sku,
          quantity: decision.quantity,
          restoredNow,
          restore: decision.restore,
          parts: decision.parts,
          mode: "smart",
          outcome: decision.outcome,
          rule: decision.rule,
          reasonCode: decision.reasonCode,
          reasonLabel: decision.reasonLabel,
          reasonOrigin: decision.reasonOrigin,
          adapterId: evaluation.adapterId,
          adapterVersion: evaluation.adapterVersion,
        };
      }),
    );
    expect(event.decisions.map((d) => ({ ...pick(d, Object.keys(expectedDecisions[0] ?? {}) as (keyof DecisionView)[]) }))).toEqual(
      expectedDecisions,
    );
    expect(event.ignored.map((i) => ({ kind: i.kind, reason: i.reason }))).toEqual(
      evaluation.ignored.map((i) => ({ kind: i.kind, reason: i.reason })),
    );

    const { adjustments } = await t.get<{ adjustments: { orderId: string; lineId: string; sku: string; delta: number }[] }>(
      `/v1/adjustments?integration=${integrationId}&limit=1000`,
    );
    const expectedAdjustments = expectedDecisions
      .filter((d) => d.restoredNow > 0)
      .map((d) => ({ orderId: d.orderId, lineId: d.lineId, sku: d.sku, delta: d.restoredNow }));
    expect(adjustments.map((a) => ({ orderId: a.orderId, lineId: a.lineId, sku: a.sku, delta: a.delta }))).toEqual(expectedAdjustments);

    const { inventory } = await t.get<{ inventory: { sku: string; onHand: number }[] }>(
      `/v1/inventory?account=${integrationId}&limit=1000`,
    );
    const perSku = new Map<string, number>();
    for (const a of expectedAdjustments) perSku.set(a.sku, (perSku.get(a.sku) ?? 0) + a.delta);
    expect(new Map(inventory.map((row) => [row.sku, row.onHand]))).toEqual(perSku);
  });
});

function pick<T extends object>(value: T, keys: (keyof T)[]): Partial<T> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Partial<T>;
}

describe("hand-written expectations", () => {
  test("Walmart webhook: an out-of-stock line is withheld, a customer-requested line restored; a later partial cancellation adds only its units", async () => {
    const id = await newIntegration("walmart", "hmac:walmart-client-secret");
    const order = (lines: { number: string; sku: string; ordered: number; cancelled: number; reason: string }[]) =>
      JSON.stringify({
        order: {
          purchaseOrderId: "2000000000001",
          customerOrderId: "5280000000001",
          orderDate: 1741100531000,
          orderLines: {
            orderLine: lines.map((line) => ({
              lineNumber: line.number,
              item: { productName: line.sku, sku: line.sku },
              orderLineQuantity: { unitOfMeasurement: "EACH", amount: String(line.ordered) },
              statusDate: 1741112458000,
              orderLineStatuses: {
                orderLineStatus: [
                  {
                    status: "Cancelled",
                    statusQuantity: { unitOfMeasurement: "EACH", amount: String(line.cancelled) },
                    cancellationReason: line.reason,
                  },
                ],
              },
            })),
          },
        },
      });
    const send = async (body: string) => {
      const response = await t.request("POST", `/webhooks/${id}`, {
        body,
        contentType: "application/json",
        headers: { "wm_sec.signature": walmartSignature("walmart-client-secret", body) },
        token: false,
      });
      expect(response.status).toBe(202);
      return processedEvent(((await response.json()) as { eventId: number }).eventId);
    };

    const first = await send(
      order([
        { number: "1", sku: "MUG-BLUE-12OZ", ordered: 4, cancelled: 2, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
        { number: "2", sku: "PLATE-WHITE", ordered: 1, cancelled: 1, reason: "SELLER_CANCEL_OUT_OF_STOCK" },
      ]),
    );
    expect(
      first.decisions.map((d) => [
        d.orderId,
        d.lineId,
        d.sku,
        d.quantity,
        d.restore,
        d.restoredNow,
        d.outcome,
        d.rule,
        d.reasonCode,
        d.reasonLabel,
        d.reasonOrigin,
      ]),
    ).toEqual([
      [
        "2000000000001",
        "1",
        "MUG-BLUE-12OZ",
        2,
        true,
        2,
        "restore",
        "smart.restore",
        "CUSTOMER_REQUESTED_SELLER_TO_CANCEL",
        "Customer Requested Seller To Cancel",
        "spec",
      ],
      [
        "2000000000001",
        "2",
        "PLATE-WHITE",
        1,
        false,
        0,
        "do_not_restore",
        "smart.do_not_restore",
        "SELLER_CANCEL_OUT_OF_STOCK",
        "Seller Cancel — Out of Stock",
        "spec",
      ],
    ]);

    const second = await send(
      order([
        { number: "1", sku: "MUG-BLUE-12OZ", ordered: 4, cancelled: 3, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
        { number: "2", sku: "PLATE-WHITE", ordered: 1, cancelled: 1, reason: "SELLER_CANCEL_OUT_OF_STOCK" },
      ]),
    );
    expect(second.decisions.map((d) => [d.lineId, d.quantity, d.restoredNow])).toEqual([
      ["1", 3, 1],
      ["2", 1, 0],
    ]);
    const { inventory } = await t.get<{ inventory: { sku: string; onHand: number }[] }>(`/v1/inventory?account=${id}`);
    expect(inventory.map((row) => [row.sku, row.onHand])).toEqual([["MUG-BLUE-12OZ", 3]]);
  });

  test("Shopify webhook with HMAC: ids above 2^53 keep every digit", async () => {
    const id = await newIntegration("shopify", "shopify-app-secret");
    const body = adapterFixture("shopify", "orders-cancelled-big-integer-ids.json");
    const signature = createHmac("sha256", "shopify-app-secret").update(body).digest("base64");
    const bad = await t.request("POST", `/webhooks/${id}`, {
      body,
      contentType: "application/json",
      headers: { "x-shopify-hmac-sha256": "AAAA" },
      token: false,
    });
    expect(bad.status).toBe(401);
    const response = await t.request("POST", `/webhooks/${id}`, {
      body,
      contentType: "application/json",
      headers: { "x-shopify-hmac-sha256": signature },
      token: false,
    });
    expect(response.status).toBe(202);
    const event = await processedEvent(((await response.json()) as { eventId: number }).eventId);
    expect(event.decisions.map((d) => [d.orderId, d.lineId, d.sku, d.restoredNow, d.rule])).toEqual([
      ["820982911946154508", "866550311766439020", "MUG-BLUE-12OZ", 1, "smart.restore"],
      ["820982911946154508", "141249953214522974", "COASTER-SET-4", 2, "smart.restore"],
    ]);
  });

  test("Shopify refunds/create without current_quantity: a second cancel refund of an unfulfilled line restores its own units", async () => {
    const id = await newIntegration("shopify", "shopify-app-secret");
    const send = async (name: string) => {
      const body = adapterFixture("shopify", name);
      const response = await t.request("POST", `/webhooks/${id}`, {
        body,
        contentType: "application/json",
        headers: { "x-shopify-hmac-sha256": createHmac("sha256", "shopify-app-secret").update(body).digest("base64") },
        token: false,
      });
      expect(response.status).toBe(202);
      const event = await processedEvent(((await response.json()) as { eventId: number }).eventId);
      return event.decisions.map((d) => [d.lineId, d.quantity, d.restoredNow]);
    };
    // 2 of 4 mugs removed (the line item shows no remaining count), then 1 more (it shows 1 left to ship, none shipped).
    expect(await send("refunds-create-line-cancel-without-current-quantity.json")).toEqual([["13688971624763", 2, 2]]);
    expect(await send("refunds-create-second-line-cancel-unfulfilled-without-current-quantity.json")).toEqual([["13688971624763", 3, 1]]);
    await send("refunds-create-second-line-cancel-unfulfilled-without-current-quantity.json"); // redelivered
    const { inventory } = await t.get<{ inventory: { sku: string; onHand: number }[] }>(`/v1/inventory?account=${id}`);
    expect(inventory.map((row) => [row.sku, row.onHand])).toEqual([["MUG-BLUE-12OZ", 3]]);
  });

  // text/plain holding XML is accepted; XML labelled application/json (a relay's mistake) is read as
  // what it is, as the adapter reads it: kept, and downloaded, as XML.
  test.each(["text/plain; charset=utf-8", "application/json"])(
    "Amazon XML feed over the webhook sent as %s: kept as XML, No Inventory is withheld",
    async (contentType) => {
      const id = await newIntegration("amazon", "amazon-relay-secret");
      const body = adapterFixture("amazon", "order-acknowledgement-no-inventory.xml");
      const response = await t.request("POST", `/webhooks/${id}`, {
        body,
        contentType,
        headers: { "x-restock-token": "amazon-relay-secret" },
        token: false,
      });
      expect(response.status).toBe(202);
      const eventId = ((await response.json()) as { eventId: number }).eventId;
      expect((await t.worker.store.getEvent(eventId))?.format).toBe("xml");
      const download = await t.request("GET", `/v1/events/${eventId}/body`);
      expect(download.headers.get("content-disposition")).toBe(`attachment; filename="event-${eventId}.xml"`);
      expect(await download.text()).toBe(body);
      const event = await processedEvent(eventId);
      expect(event.decisions.map((d) => [d.orderId, d.sku, d.quantity, d.restore, d.rule, d.reasonCode])).toEqual([
        ["113-4417732-9051623", "MUG-BLUE-12OZ", 2, false, "smart.do_not_restore", "NoInventory"],
      ]);
    },
  );
});
