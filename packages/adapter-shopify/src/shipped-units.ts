/** A fulfillment reduced to what it says about shipped units. */
export interface ShipmentRecord {
  status?: string | null | undefined;
  lines: readonly { lineId: string; quantity: number }[];
}

// A cancelled or failed fulfillment shipped nothing.
const NOTHING_SHIPPED = new Set(["cancelled", "error", "failure"]);

/** Units shipped per line id, summed over the order's fulfillments that went out. */
export function shippedUnits(fulfillments: readonly ShipmentRecord[]): Map<string, number> {
  const shipped = new Map<string, number>();
  for (const fulfillment of fulfillments) {
    if (fulfillment.status && NOTHING_SHIPPED.has(fulfillment.status.toLowerCase())) continue;
    for (const line of fulfillment.lines) shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + line.quantity);
  }
  return shipped;
}
