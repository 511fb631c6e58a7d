import type { ParseResult } from "@restock/core";

/**
 * The orders an event names, as intake stores them: `orderKey` (the first order, or the first
 * ignored event's when nothing is cancelled) for every event, and `orderKeys` (every order with a
 * cancellation, the first included) only when there is more than one: a marketplace's order list
 * (Walmart's orders API page, eBay's GetOrders, Amazon's feed of several messages) names many.
 */
export function ordersOf(parsed: ParseResult): { orderKey: string | null; orderKeys: string[] } {
  const orderKey = parsed.cancellations[0]?.orderId ?? parsed.ignored[0]?.orderId ?? null;
  const orderKeys = [...new Set(parsed.cancellations.map((cancellation) => cancellation.orderId))];
  return { orderKey, orderKeys: orderKeys.length > 1 ? orderKeys : [] };
}

/** The keys an event holds, one per (integration, order): every order it names. */
export function holdKeys(integrationId: string, orderKey: string | null, orderKeys: readonly string[] | undefined): string[] {
  const orders = orderKeys && orderKeys.length > 0 ? orderKeys : orderKey === null ? [] : [orderKey];
  return orders.map((order) => `${integrationId}\u0000${order}`);
}

/** inbox_orders rows `[event id, integration id, order]`, grouped by event: both stores read them so. */
export function ordersByEvent(
  rows: Iterable<readonly [eventId: number, integrationId: string, orderKey: string]>,
): Map<number, { integrationId: string; orders: string[] }> {
  const byEvent = new Map<number, { integrationId: string; orders: string[] }>();
  for (const [eventId, integrationId, orderKey] of rows) {
    const entry = byEvent.get(eventId);
    if (entry) entry.orders.push(orderKey);
    else byEvent.set(eventId, { integrationId, orders: [orderKey] });
  }
  return byEvent;
}

/**
 * Arrival order across orders: an event waits while an earlier event naming any of its orders is
 * not applied (it failed and waits for a retry, or waits itself). Holds pass on: an event that
 * waits holds every order it names for the events after it, so an event naming orders A and B,
 * waiting for A, keeps a later event of B from applying before it.
 */
export class OrderHolds {
  readonly #firstHolder = new Map<string, number>();

  /** Event `id` is not applied: later events naming any of `keys` wait for it. */
  hold(id: number, keys: readonly string[]): void {
    for (const key of keys) {
      const first = this.#firstHolder.get(key);
      if (first === undefined || id < first) this.#firstHolder.set(key, id);
    }
  }

  /** Whether an event with a lower id than `id` holds one of `keys`. */
  heldBefore(id: number, keys: readonly string[]): boolean {
    return keys.some((key) => {
      const first = this.#firstHolder.get(key);
      return first !== undefined && first < id;
    });
  }
}
