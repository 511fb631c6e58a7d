import { type CancelledLine, type ParseResult, parsePayload, readJson } from "@restock/core";
import { CancellationPayload } from "./payload-schema.js";

/** Raw Amazon payload → canonical cancellations and ignored events. Pure; throws only PayloadError. */
export function parseAmazon(raw: unknown): ParseResult {
  const payload = parsePayload(CancellationPayload, readJson(raw));
  if (payload.status !== "cancelled") {
    return { cancellations: [], ignored: [{ kind: payload.status, reason: "not_a_cancellation", orderId: payload.orderId }] };
  }
  const lines: CancelledLine[] = payload.lines
    .filter((line) => line.cancelledQuantity > 0)
    .map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      // Cumulative cancelled units, never above what was ordered.
      quantity: Math.min(line.cancelledQuantity, line.orderedQuantity),
      orderedQuantity: line.orderedQuantity,
      reason: payload.reasonCode ? { code: payload.reasonCode } : null,
    }));
  if (lines.length === 0) {
    return { cancellations: [], ignored: [{ kind: payload.status, reason: "not_a_cancellation", orderId: payload.orderId }] };
  }
  return {
    cancellations: [{ marketplace: "amazon", orderId: payload.orderId, occurredAt: payload.occurredAt ?? null, lines }],
    ignored: [],
  };
}
