/**
 * Random (seeded) cancellation histories and an independent model of what they should restore
 * (rule book §3), for the model check of exactly-once (exactly-once-model.test.ts).
 *
 * Each order line has a history that only grows: units cancelled under one reason or several
 * (Walmart's reason parts), some units shipping (never cancelled). A delivery sends one snapshot of
 * it: the newest, or an older one (a smaller cumulative total arriving after a larger one), again
 * (a duplicate, long after), as a Walmart order list naming several orders, or as several copies at
 * once. The model keeps the highest total processed per line and decides only the units above it,
 * each by its own reason under the mode in force.
 */

import { random as seededRandom } from "./generate-events.js";

type Marketplace = "walmart" | "amazon" | "etsy";
type Mode = "always" | "never" | "smart";

/** Reason codes with their Smart Logic outcome (true: restore), spellings the adapters normalize included. */
const REASONS: Record<Marketplace, [code: string | null, restores: boolean][]> = {
  walmart: [
    ["CUSTOMER_REQUESTED_SELLER_TO_CANCEL", true],
    ["SELLER_CANCEL_PRICING_ERROR", true],
    ["SELLER_CANCEL_OUT_OF_STOCK", false],
    ["seller cancel out of stock", false],
    ["PO_LINE_AUTOCANCELLED", true],
    ["CANCEL_BY_SELLER", true],
    ["TOTALLY_UNKNOWN_CODE", true],
    [null, true],
  ],
  amazon: [
    ["BuyerCanceled", true],
    ["NoInventory", false],
    ["no_inventory", false],
    ["GeneralAdjustment", true],
    ["SomethingNew", true],
    [null, true],
  ],
  // The no-reason adapter's channels: every cancellation restores under Smart Logic.
  etsy: [[null, true]],
};

export interface ModelIntegration {
  id: string;
  marketplace: Marketplace;
  mode: Mode;
  account: string;
}

export const MODEL_INTEGRATIONS: readonly ModelIntegration[] = [
  { id: "wm-smart", marketplace: "walmart", mode: "smart", account: "acct-a" },
  { id: "wm-always", marketplace: "walmart", mode: "always", account: "acct-a" },
  { id: "wm-never", marketplace: "walmart", mode: "never", account: "acct-b" },
  { id: "amz", marketplace: "amazon", mode: "smart", account: "acct-a" },
  { id: "etsy", marketplace: "etsy", mode: "smart", account: "acct-b" },
];

function restores(mode: Mode, marketplace: Marketplace, code: string | null): boolean {
  if (mode !== "smart") return mode === "always";
  const row = REASONS[marketplace].find(([known]) => known === code);
  if (!row) throw new Error(`no model row for ${marketplace} ${code}`);
  return row[1];
}

interface LineState {
  /** Units cancelled per reason, in order of first appearance (lines with reason parts). */
  parts: [code: string | null, units: number][];
  shipped: number;
  /** One-reason lines: the reason of the latest snapshot and the units cancelled so far. */
  single: [code: string | null, units: number] | null;
}

interface ModelLine {
  lineId: string;
  sku: string;
  ordered: number;
  /** A one-reason line, whose reason may change between snapshots; else a line with reason parts. */
  oneReason: boolean;
}

interface ModelOrder {
  n: number;
  integration: ModelIntegration;
  orderId: string;
  lines: ModelLine[];
  state: LineState[];
  snapshots: LineState[][];
}

export interface Delivery {
  kind: "deliver";
  integrationId: string;
  body: string;
  copies: number;
  /** The snapshots it carries: [order n, snapshot index]. */
  orders: [n: number, snapshot: number][];
}

export type Step = Delivery | { kind: "mode"; integrationId: string; mode: Mode } | { kind: "burst"; deliveries: Delivery[] };

export interface Histories {
  steps: Step[];
  orders: ModelOrder[];
}

const unitsOf = (state: LineState) => state.parts.reduce((sum, [, units]) => sum + units, 0);

export function generateHistories(seed: number, { orders = 40, steps = 300, skus = 8 } = {}): Histories {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const all: ModelOrder[] = [];
  for (let n = 0; n < orders; n++) {
    const integration = pick(MODEL_INTEGRATIONS);
    const lines = Array.from({ length: between(1, 3) }, (_, l) => ({
      lineId: String(l + 1),
      // Few SKUs: one SKU is on lines of many orders and integrations.
      sku: `SKU-${between(0, skus - 1)}`,
      ordered: between(1, 6),
      oneReason: integration.marketplace !== "walmart" || random() < 0.3,
    }));
    const state = lines.map(() => ({ parts: [], shipped: 0, single: null }));
    all.push({ n, integration, orderId: `${integration.id}-O${n}-${seed}`, lines, state, snapshots: [] });
  }

  /** Cancels more units of some lines (and ships some); a new snapshot when anything changed. */
  function grow(order: ModelOrder): void {
    let grew = false;
    order.lines.forEach((line, i) => {
      const state = order.state[i]!;
      const left = line.ordered - (line.oneReason ? (state.single?.[1] ?? 0) : unitsOf(state)) - state.shipped;
      if (left <= 0 || random() < 0.4) return;
      const added = between(1, left);
      if (line.oneReason) {
        state.single = [pick(REASONS[order.integration.marketplace])[0], (state.single?.[1] ?? 0) + added];
      } else {
        if (random() < 0.15 && left - added > 0) state.shipped += 1;
        const code = state.parts.length > 0 && random() < 0.4 ? pick(state.parts)[0] : pick(REASONS.walmart)[0];
        const part = state.parts.find(([known]) => known === code);
        if (part) part[1] += added;
        else state.parts.push([code, added]);
      }
      grew = true;
    });
    if (grew) order.snapshots.push(structuredClone(order.state));
  }

  const sent = new Map<number, Delivery[]>();
  function delivery(order: ModelOrder, snapshot: number, copies: number): Delivery {
    const raw = order.integration.marketplace === "walmart" && order.lines.every((line) => !line.oneReason) && random() < 0.5;
    const body = JSON.stringify(raw ? { order: walmartOrder(order, snapshot) } : canonical(order, snapshot));
    const sending: Delivery = { kind: "deliver", integrationId: order.integration.id, body, copies, orders: [[order.n, snapshot]] };
    sent.set(order.n, [...(sent.get(order.n) ?? []), sending]);
    return sending;
  }
  /** The newest snapshot, or in one case of five an older one. */
  const someSnapshot = (order: ModelOrder) => (random() < 0.2 ? between(0, order.snapshots.length - 1) : order.snapshots.length - 1);

  const out: Step[] = [];
  for (let s = 0; s < steps; s++) {
    const roll = random();
    if (roll < 0.04) {
      out.push({ kind: "mode", integrationId: pick(MODEL_INTEGRATIONS).id, mode: pick(["smart", "always", "never"] as const) });
    } else if (roll < 0.12) {
      // Several orders at once, each in one to three copies sent together.
      const deliveries: Delivery[] = [];
      const used = new Set<number>();
      for (let k = between(2, 5); k > 0; k--) {
        const order = pick(all);
        if (used.has(order.n)) continue;
        used.add(order.n);
        if (order.snapshots.length === 0 || random() < 0.6) grow(order);
        if (order.snapshots.length > 0) deliveries.push(delivery(order, order.snapshots.length - 1, between(1, 3)));
      }
      if (deliveries.length > 0) out.push({ kind: "burst", deliveries });
    } else if (roll < 0.2) {
      // An exact earlier body again, possibly long after.
      const before = [...sent.values()].flat();
      if (before.length > 0) out.push({ ...pick(before), copies: between(1, 2) });
    } else if (roll < 0.3) {
      // A Walmart order list naming several orders of one integration.
      const integration = pick(MODEL_INTEGRATIONS.filter((candidate) => candidate.marketplace === "walmart"));
      const mine = all.filter((order) => order.integration.id === integration.id && order.lines.every((line) => !line.oneReason));
      if (mine.length < 2) continue;
      const chosen: { order: ModelOrder; snapshot: number }[] = [];
      for (let k = between(2, 3); k > 0; k--) {
        const order = pick(mine);
        if (chosen.some((c) => c.order === order)) continue;
        if (order.snapshots.length === 0 || random() < 0.5) grow(order);
        if (order.snapshots.length > 0) chosen.push({ order, snapshot: someSnapshot(order) });
      }
      if (chosen.length === 0) continue;
      const body = JSON.stringify({ list: { elements: { order: chosen.map((c) => walmartOrder(c.order, c.snapshot)) } } });
      const list: Delivery = {
        kind: "deliver",
        integrationId: integration.id,
        body,
        copies: 1,
        orders: chosen.map((c) => [c.order.n, c.snapshot]),
      };
      for (const c of chosen) sent.set(c.order.n, [...(sent.get(c.order.n) ?? []), list]);
      out.push(list);
    } else {
      const order = pick(all);
      if (order.snapshots.length === 0 || random() < 0.65) grow(order);
      if (order.snapshots.length > 0) out.push(delivery(order, someSnapshot(order), random() < 0.15 ? 2 : 1));
    }
  }
  return { steps: out, orders: all };
}

/** The snapshot as a canonical cancellation (reason parts for a line cancelled under several reasons). */
function canonical(order: ModelOrder, snapshot: number) {
  const lines: Record<string, unknown>[] = [];
  order.lines.forEach((line, i) => {
    const state = order.snapshots[snapshot]![i]!;
    const reason = (code: string | null) => (code === null ? null : { code });
    if (line.oneReason) {
      if (state.single) lines.push({ lineId: line.lineId, sku: line.sku, quantity: state.single[1], reason: reason(state.single[0]) });
      return;
    }
    const quantity = unitsOf(state);
    if (quantity === 0) return;
    const largest = state.parts.reduce((a, b) => (b[1] > a[1] ? b : a));
    lines.push({
      lineId: line.lineId,
      sku: line.sku,
      quantity,
      orderedQuantity: line.ordered,
      reason: reason(largest[0]),
      ...(state.parts.length > 1 ? { reasonParts: state.parts.map(([code, units]) => ({ reason: reason(code), quantity: units })) } : {}),
    });
  });
  return { marketplace: order.integration.marketplace, orderId: order.orderId, occurredAt: null, lines };
}

/** The snapshot as a Walmart order: Cancelled statuses per reason (some split in two), Shipped and Acknowledged units. */
function walmartOrder(order: ModelOrder, snapshot: number) {
  return {
    purchaseOrderId: order.orderId,
    orderLines: {
      orderLine: order.lines.map((line, i) => {
        const state = order.snapshots[snapshot]![i]!;
        const status = (name: string, units: number, reason: string | null) => ({
          status: name,
          statusQuantity: { amount: String(units) },
          cancellationReason: reason,
        });
        const statuses = state.parts.flatMap(([code, units]) =>
          units > 1 && (units * 7 + i) % 3 === 0
            ? [status("Cancelled", 1, code), status("Cancelled", units - 1, code)]
            : [status("Cancelled", units, code)],
        );
        if (state.shipped > 0) statuses.push(status("Shipped", state.shipped, null));
        const open = line.ordered - unitsOf(state) - state.shipped;
        if (open > 0) statuses.push(status("Acknowledged", open, null));
        return {
          lineNumber: line.lineId,
          item: { sku: line.sku },
          orderLineQuantity: { amount: String(line.ordered) },
          orderLineStatuses: { orderLineStatus: statuses },
        };
      }),
    },
  };
}

/**
 * What the deliveries should restore, processed in `arrivals` order with the mode each was decided
 * under: units per "account/SKU" and per "integration|order|line".
 */
export function expectedRestores(
  histories: Histories,
  arrivals: readonly { orders: Delivery["orders"]; mode: Mode }[],
): { bySku: Map<string, number>; byLine: Map<string, number> } {
  const processed = new Map<string, { total: number; parts: Map<string | null, number> }>();
  const bySku = new Map<string, number>();
  const byLine = new Map<string, number>();
  for (const arrival of arrivals) {
    for (const [n, snapshot] of arrival.orders) {
      const order = histories.orders[n]!;
      order.lines.forEach((line, i) => {
        const state = order.snapshots[snapshot]![i]!;
        const key = `${order.integration.id}|${order.orderId}|${line.lineId}`;
        const before = processed.get(key) ?? { total: 0, parts: new Map() };
        let restored = 0;
        if (line.oneReason) {
          // The whole increase takes the event's reason.
          if (!state.single || state.single[1] <= before.total) return;
          if (restores(arrival.mode, order.integration.marketplace, state.single[0])) restored = state.single[1] - before.total;
          processed.set(key, { total: state.single[1], parts: new Map() });
        } else {
          const total = unitsOf(state);
          if (total <= before.total) return;
          for (const [code, units] of state.parts) {
            if (restores(arrival.mode, order.integration.marketplace, code)) restored += units - (before.parts.get(code) ?? 0);
          }
          processed.set(key, { total, parts: new Map(state.parts) });
        }
        if (restored > 0) {
          const sku = `${order.integration.account}/${line.sku}`;
          bySku.set(sku, (bySku.get(sku) ?? 0) + restored);
          byLine.set(key, (byLine.get(key) ?? 0) + restored);
        }
      });
    }
  }
  return { bySku, byLine };
}
