import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Adapter, ParseResult } from "@restock/core";
import { storeParse } from "../../src/processing/stored-parse.js";

/** A no-reason adapter payload (what Etsy, WooCommerce... relays send): cumulative quantities per line. */
export function channelCancellation(orderId: string, lines: { lineId: string; sku: string; quantity: number; ordered?: number }[]) {
  return JSON.stringify({
    orderId,
    occurredAt: "2025-03-06T15:00:00Z",
    lines: lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity, orderedQuantity: line.ordered ?? 10 })),
  });
}

/** A canonical cancellation, as a host service pushes it. */
export function canonicalCancellation(
  marketplace: string,
  orderId: string,
  lines: { lineId: string; sku: string; quantity: number; reason?: string | null }[],
) {
  return JSON.stringify({
    marketplace,
    orderId,
    occurredAt: null,
    lines: lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      reason: line.reason ? { code: line.reason } : null,
    })),
  });
}

export function adapterFixture(marketplace: string, name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../../packages/adapter-${marketplace}/__fixtures__/${name}`, import.meta.url)), "utf8");
}

/** Walmart's HMAC header over the raw body (secret form `hmac:<clientSecret>`). */
export function walmartSignature(clientSecret: string, body: string): string {
  return createHmac("sha256", clientSecret).update(body).digest("base64");
}

/** Intake's stored parse (inbox.parsed) of a Walmart event cancelling lines of `orders`, as storeParse writes it. */
export function storedWalmartParse(orders: readonly string[], ignored: ParseResult["ignored"] = []): string {
  const cancellations = orders.map((orderId) => ({ marketplace: "walmart", orderId, occurredAt: null, lines: [] }));
  return storeParse({ id: "walmart", version: "1.0.0" } as Adapter, { cancellations, ignored } as ParseResult);
}

/**
 * Inbox events as the upgrade to inbox_orders finds them, `[id, status, stored parse]`: pending with
 * two orders (one named twice), pending with one, done with two, dead with two, pending unparsed.
 * Only the two waiting ones naming several orders get rows (`ordersAfterUpgrade`).
 */
export const eventsAtUpgrade = [
  [1, "pending", storedWalmartParse(["A", "B", "A"])],
  [2, "pending", storedWalmartParse(["C"])],
  [3, "done", storedWalmartParse(["D", "E"])],
  [4, "dead", storedWalmartParse(["F", "G"])],
  [5, "pending", null],
] as const;
export const ordersAfterUpgrade = [
  [1, "A"],
  [1, "B"],
  [4, "F"],
  [4, "G"],
];
