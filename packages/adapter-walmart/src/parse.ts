import { type Cancellation, type IgnoredEvent, type ParseResult, PayloadError, parsePayload, readJson } from "@restock/core";
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
    return collect([fromOrder(order, ["order"])]);
  }
  if ("list" in record) {
    const orders = parsePayload(OrderListResponse, record).list.elements.order;
    return collect(orders.map((order, index) => fromOrder(order, ["list", "elements", "order", index])));
  }
  throw new PayloadError("not a Walmart payload: expected `order` (Orders API), `list` (order list) or `source` (webhook)");
}

function collect(outcomes: readonly (Cancellation | IgnoredEvent)[]): ParseResult {
  const result: { cancellations: Cancellation[]; ignored: IgnoredEvent[] } = { cancellations: [], ignored: [] };
  for (const outcome of outcomes) {
    if ("lines" in outcome) result.cancellations.push(outcome);
    else result.ignored.push(outcome);
  }
  return result;
}
