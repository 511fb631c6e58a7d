import { type ParseResult, PayloadError, parsePayload, readJson, toParseResult } from "@restock/core";
import { z } from "@restock/core/fields";
import { evaluateOrder, ReverbOrder } from "./order.js";
import { evaluateRefundRequest, RefundRequestEnvelope } from "./refund-request.js";

const EXPECTED =
  "expected a Reverb order (order_number), an orders page ({ orders }) or a refund request envelope ({ order, refund_request })";

/** A page of `GET /my/orders/selling/all`. */
const OrdersPage = z.compile(z.object({ orders: z.array(ReverbOrder).max(1000) }));

/**
 * Raw Reverb payload → canonical cancellations and ignored events. The payload's keys say which
 * it is. Pure; throws only PayloadError.
 */
export function parseReverb(raw: unknown): ParseResult {
  const json = readJson(raw);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new PayloadError(EXPECTED);
  if ("refund_request" in json) return evaluateRefundRequest(parsePayload(RefundRequestEnvelope, json));
  if ("order_number" in json || "status" in json) return toParseResult([evaluateOrder(parsePayload(ReverbOrder, json), [])]);
  if ("orders" in json)
    return toParseResult(parsePayload(OrdersPage, json).orders.map((order, index) => evaluateOrder(order, ["orders", index])));
  if ("state" in json && "reason" in json) {
    // A bare refund request (as Reverb lists it) has no SKU or quantity: it needs its order.
    throw new PayloadError("a refund request needs its order: send { order, refund_request }", "order");
  }
  throw new PayloadError(EXPECTED);
}
