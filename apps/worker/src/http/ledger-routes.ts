import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntegrationId } from "../settings/integration.js";
import type { Store } from "../store/store.js";

const InventoryQuery = z.object({
  account: z.string().min(1).max(128).optional(),
  sku: z.string().min(1).max(256).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const AdjustmentQuery = z.object({
  account: z.string().min(1).max(128).optional(),
  sku: z.string().min(1).max(256).optional(),
  integration: IntegrationId.optional(),
  order: z.string().min(1).max(256).optional(),
  cursor: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The built-in inventory ledger: units restored per (account, SKU), and the append-only adjustments behind them. */
export function ledgerRoutes(store: Store) {
  return async (app: FastifyInstance) => {
    app.get("/v1/inventory", { schema: { querystring: InventoryQuery } }, async (request) => {
      const query = request.query as z.infer<typeof InventoryQuery>;
      const rows = await store.listInventory(query);
      return { inventory: rows.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() })) };
    });

    app.get("/v1/adjustments", { schema: { querystring: AdjustmentQuery } }, async (request) => {
      const query = request.query as z.infer<typeof AdjustmentQuery>;
      const rows = await store.listAdjustments({
        account: query.account,
        sku: query.sku,
        integrationId: query.integration,
        orderId: query.order,
        afterId: query.cursor,
        limit: query.limit,
      });
      return {
        adjustments: rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() })),
        nextCursor: rows.length === query.limit ? String(rows.at(-1)!.id) : null,
      };
    });
  };
}
