import { createHash } from "node:crypto";
import type { RestorationMode } from "@restock/core";
import { random } from "../helpers/generate-events.js";

/**
 * A load of canonical cancellations for the stores' concurrency tests, with the ledger it must
 * produce computed here, independently of the engine: each reason's outcome is written down from
 * the rule book's tables (R restores, N withholds, A and no reason restore under Smart Logic).
 */

export interface LoadIntegration {
  id: string;
  marketplace: string;
  account: string;
  mode: RestorationMode;
}

/** Several marketplaces and modes; accounts are shared, so several integrations move the same SKUs. */
export const LOAD_INTEGRATIONS: readonly LoadIntegration[] = [
  { id: "amz-us", marketplace: "amazon", account: "acme", mode: "smart" },
  { id: "amz-ca", marketplace: "amazon", account: "acme-ca", mode: "never" },
  { id: "wm-1", marketplace: "walmart", account: "acme", mode: "smart" },
  { id: "shop-1", marketplace: "shopify", account: "acme", mode: "always" },
  { id: "ebay-1", marketplace: "ebay", account: "beta", mode: "smart" },
  { id: "wish-1", marketplace: "wish", account: "beta", mode: "smart" },
  { id: "etsy-1", marketplace: "etsy", account: "beta", mode: "smart" },
];

/** Reason codes per marketplace with their rule-book outcome; null is "no reason". */
const REASONS: Record<string, readonly (readonly [string | null, "R" | "N" | "A"])[]> = {
  amazon: [
    ["BuyerCanceled", "R"],
    ["PricingError", "R"],
    ["NoInventory", "N"],
    ["GeneralAdjustment", "A"],
    ["ProductOutofStock", "N"],
    [null, "A"],
  ],
  walmart: [
    ["CUSTOMER_REQUESTED_SELLER_TO_CANCEL", "R"],
    ["SELLER_CANCEL_PRICING_ERROR", "R"],
    ["SELLER_CANCEL_OUT_OF_STOCK", "N"],
    ["AGOTADO", "N"],
  ],
  shopify: [
    ["customer", "R"],
    ["inventory", "N"],
    ["other", "A"],
  ],
  ebay: [
    ["BUYER_ASKED_CANCEL", "R"],
    ["OUT_OF_STOCK_OR_CANNOT_FULFILL", "N"],
    ["OTHER", "A"],
  ],
  wish: [
    ["20", "R"],
    ["MERCHANT_OUT_OF_STOCK", "N"],
    ["ITEM_IS_DAMAGED", "N"],
    ["UNABLE_TO_SHIP", "A"],
    ["A_CODE_NOBODY_LISTED", "A"],
  ],
  etsy: [[null, "A"]],
};

export function restores(integration: LoadIntegration, outcome: "R" | "N" | "A"): boolean {
  return integration.mode === "always" || (integration.mode === "smart" && outcome !== "N");
}

export interface LoadLine {
  lineId: string;
  sku: string;
  /** Cumulative cancelled quantity. */
  quantity: number;
  reason: { code: string } | null;
  /** Each reason's cumulative units, for a line cancelled under two (both with units so far). */
  reasonParts?: { reason: { code: string } | null; quantity: number }[];
}

export interface LoadEvent {
  integrationId: string;
  orderId: string;
  /** The exact bytes sent; a redelivery repeats them. */
  body: string;
  /** sha256, as intake stores it (base64url). */
  bodyHash: string;
  lines: readonly LoadLine[];
}

export interface ExpectedLine {
  integrationId: string;
  orderId: string;
  lineId: string;
  account: string;
  sku: string;
  /** The highest cumulative quantity any event reported. */
  processed: number;
  restored: number;
}

export interface Load {
  /** In delivery order (shuffled: any order must give the same ledger). */
  events: LoadEvent[];
  /** Distinct bodies: what must be applied, each once. */
  bodies: Map<string, LoadEvent>;
  lines: ExpectedLine[];
  /** On hand by `${account}/${sku}`. */
  onHand: Map<string, number>;
}

/** A reason's cumulative units on a line cancelled under several reasons (Walmart's status entries). */
interface PartTally {
  code: string | null;
  outcome: "R" | "N" | "A";
  total: number;
}

/**
 * Orders of 1-3 lines, cancelled over 1-3 partial cancellations with growing cumulative totals.
 * A line has one reason, except about a third of Walmart's, cancelled under two: each step's new
 * units go to one or the other, so a line can start under one reason and gain `reasonParts` later;
 * whatever the delivery order, it must restore exactly its restoring reasons' units. About a quarter of the events are redelivered byte for byte, and some are
 * re-sent with a note (a different body saying the same). SKUs come from a small shared pool, so
 * concurrent batches add to the same inventory rows.
 */
export function generateLoad(orders: number, seed: number): Load {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const events: LoadEvent[] = [];
  const lines: ExpectedLine[] = [];
  for (let n = 0; n < orders; n++) {
    const integration = pick(LOAD_INTEGRATIONS);
    const orderId = `${integration.marketplace.toUpperCase()}-${100_000 + n}`;
    const orderLines = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => {
      const [code, outcome] = pick(REASONS[integration.marketplace]!);
      const parts: PartTally[] | undefined =
        integration.marketplace === "walmart" && next() < 0.35
          ? [
              { code, outcome, total: 0 },
              { ...otherReason(REASONS.walmart!, code, next), total: 0 },
            ]
          : undefined;
      return {
        lineId: `L${i + 1}`,
        sku: `SKU-${Math.floor(next() * 60)}`,
        ordered: 1 + Math.floor(next() * 6),
        code,
        outcome,
        total: 0,
        parts,
      };
    });
    const steps = 1 + Math.floor(next() * 3);
    for (let step = 0; step < steps; step++) {
      for (const line of orderLines) {
        const left = line.ordered - line.total;
        if (left > 0 && (step === 0 || next() < 0.6)) {
          const added = step === steps - 1 ? left : 1 + Math.floor(next() * left);
          line.total += added;
          if (line.parts) for (let unit = 0; unit < added; unit++) line.parts[next() < 0.5 ? 0 : 1]!.total += 1;
        }
      }
      const cancelled = orderLines.filter((line) => line.total > 0);
      const eventLines: LoadLine[] = cancelled.map((line) => ({
        lineId: line.lineId,
        sku: line.sku,
        quantity: line.total,
        ...reasonsOf(line),
      }));
      const event = loadEvent(integration, orderId, `${orderId}-c${step + 1}`, eventLines);
      events.push(event);
      if (next() < 0.25) events.push(event);
      if (next() < 0.05) events.push(loadEvent(integration, orderId, `${orderId}-c${step + 1}`, eventLines, "re-sent by the relay"));
    }
    for (const line of orderLines) {
      lines.push({
        integrationId: integration.id,
        orderId,
        lineId: line.lineId,
        account: integration.account,
        sku: line.sku,
        processed: line.total,
        restored: line.parts
          ? line.parts.reduce((units, part) => units + (restores(integration, part.outcome) ? part.total : 0), 0)
          : restores(integration, line.outcome)
            ? line.total
            : 0,
      });
    }
  }
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  const onHand = new Map<string, number>();
  for (const line of lines) {
    if (line.restored === 0) continue;
    const key = `${line.account}/${line.sku}`;
    onHand.set(key, (onHand.get(key) ?? 0) + line.restored);
  }
  return { events, bodies: new Map(events.map((event) => [event.bodyHash, event])), lines, onHand };
}

/** Another reason of the marketplace than `code`, with its outcome. */
function otherReason(reasons: readonly (readonly [string | null, "R" | "N" | "A"])[], code: string | null, next: () => number) {
  const others = reasons.filter(([other]) => other !== code);
  const [other, outcome] = others[Math.floor(next() * others.length)]!;
  return { code: other, outcome };
}

const reasonOf = (code: string | null) => (code === null ? null : { code });

/** A line's reason as a canonical cancellation gives it: one reason, or the parts when both have units (the larger first). */
function reasonsOf(line: { code: string | null; parts?: PartTally[] }): Pick<LoadLine, "reason" | "reasonParts"> {
  const withUnits = (line.parts ?? []).filter((part) => part.total > 0);
  if (withUnits.length === 0) return { reason: reasonOf(line.code) };
  if (withUnits.length === 1) return { reason: reasonOf(withUnits[0]!.code) };
  const largest = withUnits.reduce((best, part) => (part.total > best.total ? part : best));
  return {
    reason: reasonOf(largest.code),
    reasonParts: withUnits.map((part) => ({ reason: reasonOf(part.code), quantity: part.total })),
  };
}

function loadEvent(integration: LoadIntegration, orderId: string, cancellationId: string, lines: LoadLine[], note?: string): LoadEvent {
  const body = JSON.stringify({ marketplace: integration.marketplace, orderId, cancellationId, occurredAt: null, lines, note });
  return { integrationId: integration.id, orderId, body, bodyHash: createHash("sha256").update(body).digest("base64url"), lines };
}
