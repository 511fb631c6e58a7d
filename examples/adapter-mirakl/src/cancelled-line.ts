import type { CancelledLine } from "@restock/core";
import { Timestamp } from "@restock/core/fields";
import type { MiraklCancelation, MiraklOrder, MiraklOrderLine } from "./payload-schema.js";

/** Text that is present and not blank, else null: Mirakl sends null or "" for "no reason". */
function present(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== "" ? value : null;
}

/**
 * The cancellation whose reason applies to the line: the newest by `created_date`, ties and
 * unparseable dates going to the later one in the list. With cumulative quantities the newest
 * cancellation is the one that brings the units not yet processed.
 */
function newest(cancelations: readonly MiraklCancelation[]): MiraklCancelation | undefined {
  let best: MiraklCancelation | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const cancelation of cancelations) {
    const time = Date.parse(cancelation.created_date ?? "");
    const comparable = Number.isNaN(time) ? bestTime : time;
    if (best === undefined || comparable >= bestTime) {
      best = cancelation;
      bestTime = comparable;
    }
  }
  return best;
}

/**
 * The line as a canonical cancelled line, or null when nothing on it is cancelled.
 * Cumulative quantity = the sum of its cancelations' quantities, capped at the ordered
 * quantity; a line in state CANCELED is cancelled in full even if its cancelations list is
 * empty (an order cancelled before it was debited has none).
 */
export function cancelledLine(order: MiraklOrder, line: MiraklOrderLine): CancelledLine | null {
  const cancelations = line.cancelations ?? [];
  const summed = cancelations.reduce((total, cancelation) => total + cancelation.quantity, 0);
  const whole = line.order_line_state === "CANCELED" ? line.quantity : 0;
  const quantity = Math.min(Math.max(summed, whole), line.quantity);
  if (quantity === 0) return null;

  const fromCancelation = present(newest(cancelations)?.reason_code);
  const fromLineState = present(line.order_line_state_reason_code);
  const fromOrderState = present(order.order_state_reason_code);
  let reason: CancelledLine["reason"] = null;
  if (fromCancelation) reason = { code: fromCancelation };
  else if (fromLineState) reason = withLabel(fromLineState, line.order_line_state_reason_label);
  else if (fromOrderState) reason = withLabel(fromOrderState, order.order_state_reason_label);

  return { lineId: line.order_line_id, sku: line.offer_sku, quantity, orderedQuantity: line.quantity, reason };
}

function withLabel(code: string, label: string | null | undefined): NonNullable<CancelledLine["reason"]> {
  const text = present(label);
  return text ? { code, label: text } : { code };
}

/** An ISO-8601 time with a zone, as the contract's occurredAt must be, else null (never a guess). */
function isoTime(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && Timestamp.safeParse(value).success ? value : null;
}

/**
 * When the order's cancellation happened: its newest cancelation, else its last update, else
 * unknown. A date that is not ISO-8601 with a zone counts as absent: `Date.parse` takes "-3" or a
 * zoneless local time, and passing such text on would give the host a time it cannot place.
 */
export function occurredAt(order: MiraklOrder): string | null {
  const dates = order.order_lines.flatMap((line) => (line.cancelations ?? []).map((c) => isoTime(c.created_date)));
  const latest = dates.filter((date): date is string => date !== null);
  latest.sort((a, b) => Date.parse(a) - Date.parse(b));
  return latest.at(-1) ?? isoTime(order.last_updated_date);
}
