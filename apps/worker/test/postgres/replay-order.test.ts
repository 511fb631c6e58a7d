import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, expect, test } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { createTestDatabase, type TestDatabase } from "../support/postgres.js";

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
});

// Per order: an earlier line cancels 1 unit out of stock (withheld), a later line reports 2 units,
// the second at the customer's request (restores 1). In file order every order restores exactly 1.
const line = (order: string, quantity: number, code: string) =>
  JSON.stringify({
    integrationId: "ch",
    contentType: "application/json",
    body: JSON.stringify({
      marketplace: "wish",
      orderId: order,
      occurredAt: null,
      lines: [{ lineId: "L1", sku: `SKU-${order}`, quantity, orderedQuantity: 10, reason: { code } }],
    }),
  });

test("restock replay on PostgreSQL queues each order's events in file order", async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, RESTOCK_LOG_LEVEL: "warn" };
  expect((await runCli(["integrations", "add", "ch", "--marketplace", "wish"], { env })).code).toBe(0);
  const orders = Array.from({ length: 30 }, (_, i) => `O${i}`);
  const file = join(mkdtempSync(join(tmpdir(), "replay-order-")), "events.jsonl");
  writeFileSync(
    file,
    `${[...orders.map((o) => line(o, 1, "MERCHANT_OUT_OF_STOCK")), ...orders.map((o) => line(o, 2, "CUSTOMER_REQUEST"))].join("\n")}\n`,
  );
  const run = await runCli(["replay", file, "--no-progress"], { env });
  expect(run.code).toBe(0);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ order_id: string; restored: string }>(
      "SELECT order_id, SUM(restored_now)::text AS restored FROM decisions GROUP BY order_id HAVING SUM(restored_now) <> 1 ORDER BY order_id",
    );
    // Out of file order, some orders restored 2 units (the out-of-stock one too): 7-9 of 30 before the fix.
    expect(rows).toEqual([]);
  } finally {
    await client.end();
  }
});
