import { type ParseResult, PayloadError, parsePayload, readJson, toParseResult } from "@restock/core";
import { z } from "@restock/core/fields";
import { evaluatePurchaseOrder, PurchaseOrder } from "./purchase-order.js";

const EXPECTED =
  "expected a Wayfair purchaseOrders response ({ data: { purchaseOrders } }), a purchase order (poNumber) or an array of them";

const PurchaseOrders = z.compile(z.array(PurchaseOrder).min(1).max(1000));
const GraphQlResponse = z.compile(z.object({ data: z.object({ purchaseOrders: z.array(PurchaseOrder).max(1000) }) }));

function purchaseOrders(json: unknown): PurchaseOrder[] {
  if (Array.isArray(json)) return parsePayload(PurchaseOrders, json);
  if (typeof json !== "object" || json === null) throw new PayloadError(EXPECTED);
  if ("data" in json) {
    const { errors, data } = json as { errors?: unknown; data: unknown };
    if (Array.isArray(errors) && errors.length > 0 && (data === null || data === undefined)) {
      // A failed query: report Wayfair's message rather than a missing field.
      const message = (errors[0] as { message?: unknown } | null)?.message;
      const text = typeof message === "string" ? message.slice(0, 200) : "no message";
      throw new PayloadError(`the response holds GraphQL errors, not purchase orders: ${text}`, "errors");
    }
    return parsePayload(GraphQlResponse, json).data.purchaseOrders;
  }
  if ("poNumber" in json || "products" in json) return [parsePayload(PurchaseOrder, json)];
  throw new PayloadError(EXPECTED);
}

/** Raw Wayfair payload → canonical cancellations and ignored events, one per purchase order. Pure; throws only PayloadError. */
export function parseWayfair(raw: unknown): ParseResult {
  return toParseResult(purchaseOrders(readJson(raw)).map((order) => evaluatePurchaseOrder(order)));
}
