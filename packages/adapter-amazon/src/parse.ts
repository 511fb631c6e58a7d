import { looksLikeXml, type ParseResult, PayloadError, rawText, readJson, toParseResult } from "@restock/core";
import { readFeedXml, readOrderAcknowledgementFeed } from "./order-acknowledgement.js";
import { readOrderChange } from "./order-change.js";
import { readGetOrder2026, readSearchOrders2026 } from "./orders-2026.js";
import { readOrdersV0 } from "./orders-v0.js";
import type { OrderOutcome } from "./result.js";

const EXPECTED =
  "expected an ORDER_CHANGE notification ({ Payload }), an Orders v0 envelope ({ order, orderItems }), " +
  "an Orders 2026-01-01 response ({ order } or { orders }) or an OrderAcknowledgement feed ({ AmazonEnvelope } or XML)";

/** Which Amazon payload a JSON document is, told by its top-level keys. */
function readJsonDocument(document: unknown): OrderOutcome[] {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new PayloadError(`body is not a JSON object: ${EXPECTED}`);
  if ("AmazonEnvelope" in document) return readOrderAcknowledgementFeed(document);
  if ("Payload" in document || "NotificationType" in document) return readOrderChange(document);
  if ("orderItems" in document) return readOrdersV0(document);
  if ("order" in document) return readGetOrder2026(document);
  if ("orders" in document) return readSearchOrders2026(document);
  throw new PayloadError(`unrecognised payload: ${EXPECTED}`);
}

/** Raw Amazon payload (parsed JSON, JSON or XML text, or bytes) → canonical cancellations and ignored events. */
export function parseAmazon(raw: unknown): ParseResult {
  const text = rawText(raw);
  if (text !== undefined && looksLikeXml(text)) return toParseResult(readOrderAcknowledgementFeed(readFeedXml(text)));
  return toParseResult(readJsonDocument(readJson(text ?? raw)));
}
