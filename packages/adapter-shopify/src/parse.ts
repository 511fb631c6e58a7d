import { formatPath, type ParseResult, PayloadError, parsePayload, rawText, readJson } from "@restock/core";
import { fromGraphqlOrder } from "./parse-graphql-order.js";
import { fromRefund } from "./parse-refund.js";
import { fromRestOrder } from "./parse-rest-order.js";
import { LostDigitsError, parseLossless } from "./read-body.js";
import { GraphqlOrder } from "./schemas/graphql-order.js";
import { Refund } from "./schemas/refund.js";
import { RestOrder } from "./schemas/rest-order.js";

/**
 * Raw Shopify payload (parsed JSON, body text or bytes) → canonical cancellations and ignored
 * events. Accepts the REST Order (`orders/cancelled` webhook body, bare or as `{ order }`), the
 * GraphQL order (`{ data: { order } }`, `{ order }` or bare) and the `refunds/create` body.
 * Pure; throws only PayloadError.
 *
 * Text is read with a plain JSON.parse. Only when an id the adapter needs turns out to be above
 * 2^53 (its digits may be wrong) is the body parsed again with lossless-json. Scanning every body
 * for long digit runs up front costs as much as JSON.parse itself, and today's Shopify ids are
 * 13 to 14 digits long.
 */
export function parseShopify(raw: unknown): ParseResult {
  const text = rawText(raw);
  try {
    return parseDocument(readJson(text ?? raw));
  } catch (error) {
    if (text === undefined || !(error instanceof LostDigitsError)) throw error;
    return parseDocument(parseLossless(text));
  }
}

function parseDocument(document: unknown): ParseResult {
  const { body, path } = unwrap(document);
  if ("line_items" in body) return fromRestOrder(parsePayload(RestOrder, body, path), path);
  if ("lineItems" in body) return fromGraphqlOrder(parsePayload(GraphqlOrder, body, path), path);
  if (path.length === 0 && "refund_line_items" in body) return fromRefund(parsePayload(Refund, body));
  throw new PayloadError(
    "not a Shopify payload: expected an order (line_items or lineItems) or a refund (refund_line_items)",
    formatPath(path),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Finds the order or refund object inside a GraphQL response (`data.order`) or a REST wrapper (`order`). */
function unwrap(document: unknown): { body: Record<string, unknown>; path: readonly string[] } {
  if (!isRecord(document)) throw new PayloadError("expected a JSON object: a Shopify order or refund");
  if ("data" in document) {
    const order = isRecord(document.data) ? document.data.order : undefined;
    if (!isRecord(order)) throw new PayloadError("expected the GraphQL response's order object", "data.order");
    return { body: order, path: ["data", "order"] };
  }
  if ("order" in document && !("line_items" in document) && !("lineItems" in document)) {
    if (!isRecord(document.order)) throw new PayloadError("expected an order object", "order");
    return { body: document.order, path: ["order"] };
  }
  return { body: document, path: [] };
}
