import type { Cancellation, CancelledLine, IgnoreReason, ParseResult, Reason } from "@restock/core";

/** Cumulative cancelled units of one line as a payload shows them. */
export interface LineUnits {
  lineId: string;
  sku: string | null | undefined;
  orderedQuantity?: number;
  cancelled: number;
}

export interface CancellationFacts {
  /** The ignored event's kind, in Shopify's words, if nothing turns out to be cancelled. */
  kind: string;
  orderId: string;
  cancellationId?: string;
  occurredAt: string | null;
  reason: Reason | null;
  note?: string | null | undefined;
  /** Why nothing is cancelled when every line has zero cancelled units. */
  nothingCancelled: string;
}

const NOTE_LIMIT = 4096;

/**
 * Builds the cancellation of the lines with cancelled units (never above the ordered quantity),
 * or an ignored event when there are none. A line without a SKU (custom item, tip, gift card)
 * holds no stock to restore: it is left out and named in the note.
 */
export function cancellationResult(facts: CancellationFacts, units: readonly LineUnits[]): ParseResult {
  const lines: CancelledLine[] = [];
  const withoutSku: string[] = [];
  for (const line of units) {
    const quantity = line.orderedQuantity === undefined ? line.cancelled : Math.min(line.cancelled, line.orderedQuantity);
    if (quantity <= 0) continue;
    if (!line.sku?.trim()) {
      withoutSku.push(line.lineId);
      continue;
    }
    const cancelled: CancelledLine = { lineId: line.lineId, sku: line.sku, quantity, reason: facts.reason };
    if (line.orderedQuantity !== undefined) cancelled.orderedQuantity = line.orderedQuantity;
    lines.push(cancelled);
  }
  if (lines.length === 0) {
    const detail = withoutSku.length > 0 ? `the cancelled lines (${withoutSku.join(", ")}) have no SKU` : facts.nothingCancelled;
    return ignored(facts.kind, "not_a_cancellation", facts.orderId, detail);
  }
  const cancellation: Cancellation = { marketplace: "shopify", orderId: facts.orderId, occurredAt: facts.occurredAt, lines };
  if (facts.cancellationId !== undefined) cancellation.cancellationId = facts.cancellationId;
  const staffNote = facts.note?.trim();
  const skuNote = withoutSku.length > 0 ? `cancelled lines without a SKU, left out: ${withoutSku.join(", ")}` : "";
  const note = (staffNote && skuNote ? `${staffNote}\n${skuNote}` : staffNote || skuNote).slice(0, NOTE_LIMIT);
  if (note) cancellation.note = note;
  return { cancellations: [cancellation], ignored: [] };
}

export function ignored(kind: string, reason: IgnoreReason, orderId: string, detail: string): ParseResult {
  return { cancellations: [], ignored: [{ kind, reason, orderId, detail: detail.slice(0, 1024) }] };
}

/** A reason from `cancel_reason` / `cancelReason`: null or blank means the order carries none. */
export function reasonFrom(code: string | null | undefined): Reason | null {
  return code?.trim() ? { code } : null;
}
