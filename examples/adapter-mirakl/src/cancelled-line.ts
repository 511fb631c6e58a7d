import type { CancelledLine, Reason, ReasonPart } from "@restock/core";
import { Timestamp } from "@restock/core/fields";
import type { MiraklOrder, MiraklOrderLine } from "./payload-schema.js";

/** Text that is present and not blank, else null: Mirakl sends null or "" for "no reason". */
function present(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== "" ? value : null;
}

/**
 * The reason of a line's units that no cancelation record names: the line's state reason, else the
 * order's, else none. It covers a CANCELED line's units beyond its records (an order cancelled
 * before it was debited has no records) and records sent without a reason_code.
 */
function stateReason(order: MiraklOrder, line: MiraklOrderLine): Reason | null {
  const fromLineState = present(line.order_line_state_reason_code);
  if (fromLineState) return withLabel(fromLineState, line.order_line_state_reason_label);
  const fromOrderState = present(order.order_state_reason_code);
  if (fromOrderState) return withLabel(fromOrderState, order.order_state_reason_label);
  return null;
}

/** Adds units to their reason's group, a new group at the end for a reason not seen yet. */
function addUnits(groups: ReasonPart[], reason: Reason | null, units: number): void {
  if (units <= 0) return;
  const group = groups.find((candidate) => candidate.reason?.code === reason?.code);
  if (group) group.quantity += units;
  else groups.push({ reason, quantity: units });
}

/**
 * The parts adding up to the line's cancelled quantity. Records adding up to more than was ordered
 * (a payload at odds with itself) lose the excess from the last listed, as Walmart's adapter does.
 */
function partsWithin(groups: readonly ReasonPart[], quantity: number): ReasonPart[] {
  const parts: ReasonPart[] = [];
  let left = quantity;
  for (const group of groups) {
    const units = Math.min(group.quantity, left);
    if (units === 0) break;
    parts.push({ reason: group.reason, quantity: units });
    left -= units;
  }
  return parts;
}

/** The part with the most units, the first listed on a tie (the line's one-reason view). */
function largest(parts: readonly ReasonPart[]): ReasonPart | undefined {
  let chosen = parts[0];
  for (const part of parts) if (part.quantity > (chosen?.quantity ?? 0)) chosen = part;
  return chosen;
}

/**
 * The line as a canonical cancelled line, or null when nothing on it is cancelled.
 * Cumulative quantity = the sum of its cancelations' quantities, capped at the ordered
 * quantity; a line in state CANCELED is cancelled in full even if its cancelations list is
 * empty (an order cancelled before it was debited has none).
 *
 * Each cancelation's units keep its own reason_code: a line with 2 units cancelled as damaged and
 * 1 at the customer's request carries both as `reasonParts`, so the engine withholds the damaged
 * units and restores the other, whichever cancelation came last. The units of a CANCELED line
 * beyond its records, and records without a reason_code, go under the line's or order's state reason.
 */
export function cancelledLine(order: MiraklOrder, line: MiraklOrderLine): CancelledLine | null {
  const cancelations = line.cancelations ?? [];
  const summed = cancelations.reduce((total, cancelation) => total + cancelation.quantity, 0);
  const whole = line.order_line_state === "CANCELED" ? line.quantity : 0;
  const quantity = Math.min(Math.max(summed, whole), line.quantity);
  if (quantity === 0) return null;

  const fallback = stateReason(order, line);
  const groups: ReasonPart[] = [];
  for (const cancelation of cancelations) {
    const code = present(cancelation.reason_code);
    addUnits(groups, code ? { code } : fallback, cancelation.quantity);
  }
  addUnits(groups, fallback, quantity - summed);
  const parts = partsWithin(groups, quantity);

  const cancelled: CancelledLine = {
    lineId: line.order_line_id,
    sku: line.offer_sku,
    quantity,
    orderedQuantity: line.quantity,
    reason: largest(parts)?.reason ?? null,
  };
  if (parts.length > 1) cancelled.reasonParts = parts;
  return cancelled;
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
