import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { cleanText } from "../config/clean-text.js";
import { wholeNumber } from "../config/whole-number.js";
import { Account, IntegrationId } from "../settings/integration.js";
import type { Store } from "../store/store.js";

// Clean text (no NUL, no lone surrogate): PostgreSQL text cannot take NUL (a 500), and the ledger
// holds no such SKU anyway.
const Sku = cleanText(1, 256);
const CURSOR_MESSAGE = "must be a nextCursor value from a previous page";

/** The last row of a page, as `nextCursor`: base64url of the JSON array [account, sku]. Opaque to clients. */
function inventoryCursor(row: { account: string; sku: string }): string {
  return Buffer.from(JSON.stringify([row.account, row.sku])).toString("base64url");
}

const InventoryCursor = z
  .string()
  .max(4096, CURSOR_MESSAGE)
  .regex(/^[A-Za-z0-9_-]+$/, CURSOR_MESSAGE)
  .transform((cursor, context) => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    } catch {
      value = undefined;
    }
    // Any non-empty strings: the ledger's own values, whatever limits intake applied to them.
    const after = z.tuple([cleanText(1), cleanText(1)]).safeParse(value);
    // Canonical encoding only: one cursor per position, and nothing base64url would drop silently.
    if (!after.success || inventoryCursor({ account: after.data[0], sku: after.data[1] }) !== cursor) {
      context.issues.push({ code: "custom", message: CURSOR_MESSAGE, input: cursor });
      return z.NEVER;
    }
    return { account: after.data[0], sku: after.data[1] };
  });

const InventoryQuery = z.object({
  account: Account.optional(),
  sku: Sku.optional(),
  limit: wholeNumber(1, 1000).default(100),
  /** The previous page's `nextCursor`. */
  cursor: InventoryCursor.optional(),
});
const AdjustmentQuery = z.object({
  account: Account.optional(),
  sku: Sku.optional(),
  integration: IntegrationId.optional(),
  order: cleanText(1, 256).optional(),
  cursor: wholeNumber(0).optional(),
  limit: wholeNumber(1, 1000).default(100),
});

/** The built-in inventory ledger: units restored per (account, SKU), and the append-only adjustments behind them. */
export function ledgerRoutes(store: Store) {
  return async (app: FastifyInstance) => {
    app.get("/v1/inventory", { schema: { querystring: InventoryQuery } }, async (request) => {
      const query = request.query as z.infer<typeof InventoryQuery>;
      const rows = await store.listInventory({ account: query.account, sku: query.sku, limit: query.limit, after: query.cursor });
      return {
        inventory: rows.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() })),
        nextCursor: rows.length === query.limit ? inventoryCursor(rows.at(-1)!) : null,
      };
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
