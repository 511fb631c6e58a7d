import { type ParseResult, PayloadError, parsePayload, readJson } from "@restock/core";
import { V2Order } from "./v2-order.js";
import { V3Order } from "./v3-order.js";
import { evaluateWishOrder, type WishOrder } from "./wish-order.js";

type Path = (string | number)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One order: `{ "Order": v2 }`, a bare v2 order (`order_id`) or a v3 order (`id`). */
function readOrder(entry: unknown, path: Path): WishOrder {
  if (isRecord(entry) && "Order" in entry) return parsePayload(V2Order, entry.Order, [...path, "Order"]);
  if (isRecord(entry) && "order_id" in entry) return parsePayload(V2Order, entry, path);
  return parsePayload(V3Order, entry, path);
}

/**
 * The orders in a Wish response: v2 `{ code, data: [{ Order }] }` or `{ code, data: { Order } }`, v3 `{ data: order }` or
 * `{ data: [order] }`, or one bare order in either version.
 */
function readOrders(json: unknown): WishOrder[] {
  if (!isRecord(json)) throw new PayloadError("expected a Wish order response (an object with data, Order, order_id or id)");
  // v2 reports API errors as a non-zero `code` with a message instead of orders.
  if (json.code !== undefined && json.code !== 0 && json.code !== "0") {
    // Named by kind when not a plain value: JSON.stringify of a deeply nested one overflows the stack.
    const code =
      typeof json.code === "object" && json.code !== null
        ? `(${Array.isArray(json.code) ? "an array" : "an object"})`
        : JSON.stringify(json.code).slice(0, 40);
    throw new PayloadError(`Wish returned error code ${code}, not orders`, "code");
  }
  if ("data" in json) {
    const { data } = json;
    if (Array.isArray(data)) return data.map((entry, index) => readOrder(entry, ["data", index]));
    // One order: v2's "retrieve an order" answers `data: { Order }`, v3's `data: order`.
    return [readOrder(data, ["data"])];
  }
  if (!("Order" in json || "order_id" in json || "id" in json)) {
    throw new PayloadError("expected a Wish order response (an object with data, Order, order_id or id)");
  }
  return [readOrder(json, [])];
}

/** Raw Wish payload (v2 or v3 orders) → canonical cancellations and ignored events. Pure; throws only PayloadError. */
export function parseWish(raw: unknown): ParseResult {
  const result: ParseResult = { cancellations: [], ignored: [] };
  for (const order of readOrders(readJson(raw))) {
    const outcome = evaluateWishOrder(order);
    if ("cancellation" in outcome) result.cancellations.push(outcome.cancellation);
    else result.ignored.push(outcome.ignored);
  }
  return result;
}
