import { looksLikeXml, type ParseResult, PayloadError, rawText, readJson, toParseResult } from "@restock/core";
import { readFulfillmentOrder, readFulfillmentOrders } from "./fulfillment-order.js";
import { readPostOrderCancellation } from "./post-order-cancellation.js";
import type { OrderOutcome } from "./result.js";
import { readTradingDocument, readTradingXml } from "./trading-get-orders.js";

const EXPECTED =
  "expected a Sell Fulfillment order ({ orderId, cancelStatus, lineItems }) or getOrders response ({ orders }), " +
  "a Post-Order cancellation ({ cancelDetail, orderId, lineItems }) or a Trading GetOrders XML response";

/** Which eBay payload a JSON document is, told by its top-level keys. */
function readJsonDocument(document: unknown): OrderOutcome[] {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new PayloadError(`body is not a JSON object: ${EXPECTED}`);
  if ("cancelDetail" in document) return readPostOrderCancellation(document);
  if ("orderId" in document || "cancelStatus" in document || "lineItems" in document) return readFulfillmentOrder(document);
  if ("orders" in document) return readFulfillmentOrders(document);
  throw new PayloadError(`unrecognised payload: ${EXPECTED}`);
}

/** Raw eBay payload (parsed JSON, JSON or XML text, or bytes) → canonical cancellations and ignored events. */
export function parseEbay(raw: unknown): ParseResult {
  const text = rawText(raw);
  if (text !== undefined && looksLikeXml(text)) return toParseResult(readTradingDocument(readTradingXml(text)));
  return toParseResult(readJsonDocument(readJson(text ?? raw)));
}
