import type { CancelledLine, Reason, ReasonPart } from "@restock/core";

/** Cancelled units of one order line in one status entry, with that entry's reason. */
export interface CancelledSlice {
  lineId: string;
  sku: string;
  orderedQuantity?: number;
  units: number;
  reason: Reason | null;
}

interface LineTally {
  lineId: string;
  sku: string;
  orderedQuantity?: number;
  total: number;
  unitsByReason: Map<string, { reason: Reason | null; units: number }>;
}

export interface TalliedLines {
  lines: CancelledLine[];
  /** One sentence per line that was cancelled under several reasons, kept as the cancellation's note. */
  mixedReasons: string[];
}

/**
 * Adds up the cancelled slices of each line: Walmart reports a line's cancellation as status
 * entries, and the cumulative cancelled quantity is their sum (rule book §3). The total never
 * exceeds the ordered quantity; lines with nothing cancelled are left out.
 *
 * A line can be cancelled in several slices with different reasons ("reasons and quantities are
 * per line status"). It stays one line, so the processor's per-line cumulative ledger still sees
 * each unit once, with `reasonParts` giving each reason's units: the engine decides every part,
 * and 1 unit cancelled out of stock beside 2 cancelled at the customer's request restores 2, not
 * 3. The line's own `reason` is the largest part's (the first listed on a tie), for display.
 */
export function tallyCancelledLines(slices: readonly CancelledSlice[]): TalliedLines {
  const tallies = new Map<string, LineTally>();
  for (const slice of slices) {
    let tally = tallies.get(slice.lineId);
    if (!tally) {
      tally = { lineId: slice.lineId, sku: slice.sku, orderedQuantity: slice.orderedQuantity, total: 0, unitsByReason: new Map() };
      tallies.set(slice.lineId, tally);
    }
    if (slice.units === 0) continue;
    tally.total += slice.units;
    const key = slice.reason?.code ?? "";
    const group = tally.unitsByReason.get(key);
    if (group) group.units += slice.units;
    else tally.unitsByReason.set(key, { reason: slice.reason, units: slice.units });
  }

  const lines: CancelledLine[] = [];
  const mixedReasons: string[] = [];
  for (const tally of tallies.values()) {
    if (tally.total === 0) continue;
    const quantity = tally.orderedQuantity === undefined ? tally.total : Math.min(tally.total, tally.orderedQuantity);
    const groups = [...tally.unitsByReason.values()];
    let chosen = groups[0];
    for (const group of groups) if (group.units > (chosen?.units ?? 0)) chosen = group;
    const line: CancelledLine = {
      lineId: tally.lineId,
      sku: tally.sku,
      quantity,
      ...(tally.orderedQuantity === undefined ? {} : { orderedQuantity: tally.orderedQuantity }),
      reason: chosen?.reason ?? null,
    };
    if (groups.length > 1) {
      line.reasonParts = partsWithin(groups, quantity);
      const parts = groups.map((group) => `${group.reason?.code ?? "no reason"} x${group.units}`);
      mixedReasons.push(`line ${tally.lineId} cancelled under several reasons (${parts.join(", ")}): decided per reason`);
    }
    lines.push(line);
  }
  return { lines, mixedReasons };
}

/**
 * The parts as the engine needs them: adding up to the line's quantity. Slices adding up to more
 * than was ordered (a payload at odds with itself) lose the excess from the last listed, so what
 * stays is what Walmart reported first.
 */
function partsWithin(groups: readonly { reason: Reason | null; units: number }[], quantity: number): ReasonPart[] {
  const parts: ReasonPart[] = [];
  let left = quantity;
  for (const group of groups) {
    const units = Math.min(group.units, left);
    if (units === 0) break;
    parts.push({ reason: group.reason, quantity: units });
    left -= units;
  }
  return parts;
}

/** A reason from a free-string field: blank means the payload gave none. */
export function reasonFrom(code: string | null | undefined): Reason | null {
  return code && code.trim() !== "" ? { code } : null;
}
