/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be reproduced from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedIntegration {
  id: string;
  marketplace: string;
  mode: "smart" | "always" | "never";
  /** canonical: host pushes with reason codes; channel: the no-reason adapter's raw payload. */
  shape: "canonical" | "channel";
}

export const RESTORE_REASON = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
export const WITHHOLD_REASON = "SELLER_CANCEL_OUT_OF_STOCK";

export interface GeneratedLine {
  lineId: string;
  sku: string;
  quantity: number;
  reason: string | null;
}

export interface GeneratedEvent {
  integrationId: string;
  orderId: string;
  lines: GeneratedLine[];
}

/**
 * Orders with 1-3 lines, each cancelled over 1-3 partial cancellations (cumulative totals),
 * interleaved across orders and integrations, with redeliveries of earlier events. Per order,
 * events keep their order.
 */
export function generateEvents(integrations: readonly GeneratedIntegration[], orders: number, seed: number): GeneratedEvent[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const queues: GeneratedEvent[][] = [];
  for (let n = 0; n < orders; n++) {
    const integration = pick(integrations);
    const orderId = `O-${n}`;
    const lineCount = 1 + Math.floor(next() * 3);
    const lines = Array.from({ length: lineCount }, (_, i) => ({
      lineId: String(i + 1),
      sku: `SKU-${Math.floor(next() * 25)}`,
      ordered: 2 + Math.floor(next() * 5),
    }));
    const steps = 1 + Math.floor(next() * 3);
    const totals = lines.map(() => 0);
    const queue: GeneratedEvent[] = [];
    for (let step = 0; step < steps; step++) {
      const eventLines: GeneratedLine[] = [];
      lines.forEach((line, i) => {
        const remaining = line.ordered - totals[i]!;
        if (remaining > 0 && (step === 0 || next() < 0.6))
          totals[i]! += step === steps - 1 ? remaining : 1 + Math.floor(next() * remaining);
        if (totals[i]! > 0) {
          const reason = integration.shape === "channel" ? null : next() < 0.35 ? WITHHOLD_REASON : RESTORE_REASON;
          eventLines.push({ lineId: line.lineId, sku: line.sku, quantity: totals[i]!, reason });
        }
      });
      if (eventLines.length > 0) queue.push({ integrationId: integration.id, orderId, lines: eventLines });
      // A redelivery of this event.
      if (next() < 0.3 && queue.length > 0) queue.push(queue.at(-1)!);
    }
    queues.push(queue);
  }
  // Interleave: repeatedly take the next event of a random order that has any left.
  const events: GeneratedEvent[] = [];
  const open = queues.filter((queue) => queue.length > 0);
  while (open.length > 0) {
    const index = Math.floor(next() * open.length);
    const queue = open[index]!;
    events.push(queue.shift()!);
    if (queue.length === 0) open.splice(index, 1);
  }
  return events;
}

/** A replay file line for an event: canonical cancellations as JSON values, channel payloads as raw strings. */
export function replayLine(event: GeneratedEvent, integration: GeneratedIntegration): string {
  if (integration.shape === "channel") {
    const body = JSON.stringify({
      orderId: event.orderId,
      lines: event.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
    });
    return JSON.stringify({ integrationId: event.integrationId, body, contentType: "application/json" });
  }
  const body = {
    marketplace: integration.marketplace,
    orderId: event.orderId,
    occurredAt: null,
    lines: event.lines.map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      quantity: line.quantity,
      reason: line.reason ? { code: line.reason } : null,
    })),
  };
  return JSON.stringify({ integrationId: event.integrationId, body });
}

/**
 * The rule book's arithmetic, computed from the events alone: per line, only the increase over
 * the largest total seen restores, when the mode and reason say restore.
 */
export function expectedRestores(integrations: readonly GeneratedIntegration[], events: readonly GeneratedEvent[]): Map<string, number> {
  const byId = new Map(integrations.map((integration) => [integration.id, integration]));
  const seen = new Map<string, number>();
  const restored = new Map<string, number>();
  for (const event of events) {
    const integration = byId.get(event.integrationId)!;
    for (const line of event.lines) {
      const key = `${event.integrationId}|${event.orderId}|${line.lineId}`;
      const before = seen.get(key) ?? 0;
      const increase = Math.max(0, line.quantity - before);
      seen.set(key, before + increase);
      const restore = integration.mode === "always" || (integration.mode === "smart" && line.reason !== WITHHOLD_REASON);
      restored.set(key, (restored.get(key) ?? 0) + (restore ? increase : 0));
    }
  }
  return restored;
}
