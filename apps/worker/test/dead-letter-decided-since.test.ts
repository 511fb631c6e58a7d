import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { execSql } from "./helpers/exec-sql.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

/**
 * A dead event holds its orders no more: a retry applies it after the later events of its orders
 * that were decided meanwhile, and says so (decidedSince), for every order an order list page names.
 */
const dir = tempDir();
let t: TestWorker;

beforeAll(async () => {
  t = await startWorker(dir, { "processing.maxAttempts": 2, "processing.retryBaseMs": 1, "processing.retryMaxMs": 5 });
  await t.worker.settings.put("wm-list", { marketplace: "walmart", webhookSecret: "hmac:secret-12345" }, "api");
});
afterAll(() => t.stop());

type WalmartOrder = { purchaseOrderId: string; orderLines: { orderLine: Record<string, unknown>[] } };
const listFixture = JSON.parse(
  readFileSync(
    new URL("../../../packages/adapter-walmart/__fixtures__/orders-api-list-one-cancelled-one-open.json", import.meta.url),
    "utf8",
  ),
) as { list: { elements: { order: WalmartOrder[] } } };

/** The fixture's cancelled order under another purchase order id, its one line cancelled `units` of `units` at the customer's request. */
function cancelledOrder(purchaseOrderId: string, units: number): WalmartOrder {
  const order = structuredClone(listFixture.list.elements.order[0]!);
  order.purchaseOrderId = purchaseOrderId;
  const [line] = order.orderLines.orderLine;
  Object.assign(line!, {
    orderLineQuantity: { unitOfMeasurement: "EACH", amount: String(units) },
    orderLineStatuses: {
      orderLineStatus: [
        {
          status: "Cancelled",
          statusQuantity: { unitOfMeasurement: "EACH", amount: String(units) },
          cancellationReason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL",
        },
      ],
    },
  });
  return order;
}

async function send(body: unknown): Promise<number> {
  const result = await t.worker.intake.receive({
    integrationId: "wm-list",
    body: JSON.stringify(body),
    contentType: "application/json",
    source: "api",
  });
  if (result.status !== 202) throw new Error(`expected 202, got ${result.status}`);
  return result.eventId;
}

const sql = (statement: string) => execSql(join(dir, "worker.db"), statement);

test("retrying a dead order list page names the later event of its second order that was decided meanwhile", async () => {
  const page = await send({
    list: { meta: { totalCount: 2 }, elements: { order: [cancelledOrder("9100000000001", 2), cancelledOrder("9100000000002", 2)] } },
  });
  const later = await send({ order: cancelledOrder("9100000000002", 3) });
  // The page cannot be written (its second order's line at 2 units): it dies, and the later event of that order applies.
  sql(`CREATE TRIGGER fail_page BEFORE INSERT ON decisions WHEN NEW.order_id = '9100000000002' AND NEW.quantity = 2
       BEGIN SELECT RAISE(ABORT, 'the page cannot be written'); END`);
  for (let i = 0; i < 200 && (await t.worker.store.inboxDepth()) > 0; i++) {
    await t.drain();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  sql("DROP TRIGGER fail_page");
  expect(await t.worker.store.getEvent(page)).toMatchObject({ status: "dead", orderKey: "9100000000001" });
  expect(await t.worker.store.getEvent(later)).toMatchObject({ status: "done" });
  expect(await t.worker.store.otherOrdersOfEvent(page)).toEqual(["9100000000002"]);

  const { deadLetters } = await t.get<{ deadLetters: { id: number; eventId: number }[] }>("/v1/dead-letters?kind=failed");
  const letter = deadLetters.find((entry) => entry.eventId === page)!;
  const response = await t.request("POST", `/v1/dead-letters/${letter.id}/retry`);
  expect(await response.json()).toMatchObject({ retried: true, decidedSince: { orderId: "9100000000002", eventId: later } });
});
