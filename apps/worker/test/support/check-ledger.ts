import type pg from "pg";
import { expect } from "vitest";
import type { Load } from "./cancellation-load.js";

export interface LedgerSummary {
  inboxRows: number;
  applied: number;
  duplicates: number;
  decisions: number;
  unitsRestored: number;
}

async function rows<R extends pg.QueryResultRow>(client: pg.ClientBase, sql: string): Promise<R[]> {
  return (await client.query<R>(sql)).rows;
}

/**
 * Checks a PostgreSQL database after a load against what the load must produce: every body applied
 * exactly once (the other copies marked duplicates, nothing pending or dead), one decision per line
 * of each applied event and none for duplicates, each line's final processed quantity, the units
 * restored per line and per SKU, and per order the events applied in arrival (id) order.
 */
export async function checkLedger(client: pg.ClientBase, load: Load): Promise<LedgerSummary> {
  const statuses = await rows<{ status: string; n: number }>(client, "SELECT status, COUNT(*)::int AS n FROM inbox GROUP BY status");
  const byStatus = Object.fromEntries(statuses.map((row) => [row.status, row.n]));
  expect(Object.keys(byStatus).sort()).toEqual(["done", "duplicate"]);
  expect(await rows(client, "SELECT id, kind, error FROM dead_letters")).toEqual([]);

  const bodies = await rows<{ hash: string; copies: number; applied: number }>(
    client,
    "SELECT body_hash AS hash, COUNT(*)::int AS copies, COUNT(*) FILTER (WHERE status = 'done')::int AS applied FROM inbox GROUP BY body_hash",
  );
  expect(new Set(bodies.map((row) => row.hash))).toEqual(new Set(load.bodies.keys()));
  expect(bodies.filter((row) => row.applied !== 1)).toEqual([]);

  const perEvent = await rows<{ id: number; hash: string; status: string; decisions: number }>(
    client,
    `SELECT e.id, e.body_hash AS hash, e.status, COUNT(d.id)::int AS decisions
     FROM inbox e LEFT JOIN decisions d ON d.event_id = e.id GROUP BY e.id`,
  );
  const wrongAudit = perEvent.filter((row) => row.decisions !== (row.status === "done" ? load.bodies.get(row.hash)!.lines.length : 0));
  expect(wrongAudit).toEqual([]);

  const key = (row: { integrationId: string; orderId: string; lineId: string }) => `${row.integrationId}/${row.orderId}/${row.lineId}`;
  const progress = await rows<{ integrationId: string; orderId: string; lineId: string; processed: number }>(
    client,
    `SELECT integration_id AS "integrationId", order_id AS "orderId", line_id AS "lineId", processed_quantity::int AS processed
     FROM line_progress`,
  );
  expect(new Map(progress.map((row) => [key(row), row.processed]))).toEqual(new Map(load.lines.map((line) => [key(line), line.processed])));

  const restored = await rows<{ integrationId: string; orderId: string; lineId: string; decided: number; adjusted: number }>(
    client,
    `SELECT d.integration_id AS "integrationId", d.order_id AS "orderId", d.line_id AS "lineId",
            SUM(d.restored_now)::int AS decided, COALESCE(SUM(a.delta), 0)::int AS adjusted
     FROM decisions d LEFT JOIN adjustments a ON a.decision_id = d.id
     GROUP BY d.integration_id, d.order_id, d.line_id`,
  );
  const expectedRestored = new Map(load.lines.map((line) => [key(line), line.restored]));
  expect(new Map(restored.map((row) => [key(row), row.decided]))).toEqual(expectedRestored);
  expect(new Map(restored.map((row) => [key(row), row.adjusted]))).toEqual(expectedRestored);

  const inventory = await rows<{ key: string; onHand: number }>(
    client,
    `SELECT account || '/' || sku AS key, on_hand::int AS "onHand" FROM inventory`,
  );
  expect(new Map(inventory.map((row) => [row.key, row.onHand]))).toEqual(load.onHand);

  const outOfOrder = await rows<{ order: string; events: number[] }>(
    client,
    `SELECT integration_id || '/' || order_id AS order, array_agg(event_id::int ORDER BY id) AS events
     FROM decisions GROUP BY integration_id, order_id`,
  );
  expect(outOfOrder.filter((row) => row.events.some((event, i) => i > 0 && event < row.events[i - 1]!))).toEqual([]);

  const [totals] = await rows<{ decisions: number; units: number }>(
    client,
    "SELECT COUNT(*)::int AS decisions, COALESCE(SUM(restored_now), 0)::int AS units FROM decisions",
  );
  return {
    inboxRows: perEvent.length,
    applied: byStatus.done ?? 0,
    duplicates: byStatus.duplicate ?? 0,
    decisions: totals!.decisions,
    unitsRestored: totals!.units,
  };
}
