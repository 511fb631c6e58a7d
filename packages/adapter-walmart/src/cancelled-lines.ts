import type { CancelledLine, Reason } from "@restock/core";

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
 * A line can be cancelled in several slices with different reasons. The line gets the reason
 * covering the most units (the first one listed on a tie), and the split is recorded in the note.
 * Splitting the line into one line per reason would give it ids that change when a new slice
 * arrives, which would break the processor's per-line cumulative ledger and restore units twice.
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
    let chosen: { reason: Reason | null; units: number } | undefined;
    for (const group of tally.unitsByReason.values()) {
      if (!chosen || group.units > chosen.units) chosen = group;
    }
    if (tally.unitsByReason.size > 1) {
      const parts = [...tally.unitsByReason.values()].map((group) => `${group.reason?.code ?? "no reason"} x${group.units}`);
      mixedReasons.push(`line ${tally.lineId} cancelled under several reasons (${parts.join(", ")}): decided on the largest slice`);
    }
    lines.push({
      lineId: tally.lineId,
      sku: tally.sku,
      quantity: tally.orderedQuantity === undefined ? tally.total : Math.min(tally.total, tally.orderedQuantity),
      ...(tally.orderedQuantity === undefined ? {} : { orderedQuantity: tally.orderedQuantity }),
      reason: chosen?.reason ?? null,
    });
  }
  return { lines, mixedReasons };
}

/** A reason from a free-string field: blank means the payload gave none. */
export function reasonFrom(code: string | null | undefined): Reason | null {
  return code && code.trim() !== "" ? { code } : null;
}
