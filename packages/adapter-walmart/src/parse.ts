import { type ParseResult, PayloadError, parsePayload, readJson, toParseResult } from "@restock/core";
import { fromOrder } from "./parse-orders-api.js";
import { parseWebhook } from "./parse-webhook.js";
import { OrderListResponse, OrderResponse } from "./schemas/orders-api.js";

/**
 * Raw Walmart payload (parsed JSON, body text or bytes) → canonical cancellations and ignored
 * events. Accepts an Orders API order (`{ order }`), an order list (`{ list }`) and webhooks
 * (`{ source, payload }`). Pure; throws only PayloadError.
 */
export function parseWalmart(raw: unknown): ParseResult {
  const document = readJson(raw);
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new PayloadError("expected a JSON object: a Walmart order, order list or webhook delivery");
  }
  const record = document as Record<string, unknown>;
  if ("source" in record) return parseWebhook(record);
  if ("order" in record) {
    const { order } = parsePayload(OrderResponse, record);
    return toParseResult([fromOrder(order, ["order"])]);
  }
  if ("list" in record) {
    const orders = parsePayload(OrderListResponse, record).list.elements.order;
    return toParseResult(orders.map((order, index) => fromOrder(order, ["list", "elements", "order", index])));
  }
  throw new PayloadError("not a Walmart payload: expected `order` (Orders API), `list` (order list) or `source` (webhook)");
}
