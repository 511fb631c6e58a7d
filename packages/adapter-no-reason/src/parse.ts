import { type ParseResult, parsePayload, readJson } from "@restock/core";
import { NoReasonCancellation } from "./payload-schema.js";

/**
 * A reason-less cancellation → the canonical cancellation, every line with reason null.
 * `marketplace` is always "no-reason": the engine renames it to the integration's marketplace.
 * Pure; throws only PayloadError.
 */
export function parseNoReason(raw: unknown): ParseResult {
  const payload = parsePayload(NoReasonCancellation, readJson(raw));
  return {
    cancellations: [
      {
        marketplace: "no-reason",
        orderId: payload.orderId,
        ...(payload.cancellationId ? { cancellationId: payload.cancellationId } : {}),
        occurredAt: payload.occurredAt ?? null,
        lines: payload.lines.map((line) => ({
          lineId: line.lineId ?? line.sku,
          sku: line.sku,
          quantity: line.quantity,
          ...(line.orderedQuantity ? { orderedQuantity: line.orderedQuantity } : {}),
          reason: null,
        })),
        ...(payload.note ? { note: payload.note } : {}),
      },
    ],
    ignored: [],
  };
}
