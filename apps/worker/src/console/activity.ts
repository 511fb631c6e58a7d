import { advanceLine } from "../ledger/advance-line.js";
import type { Store } from "../store/store.js";
import type { LineBefore } from "../store/types.js";
import { yieldToEventLoop } from "../store/yield-to-event-loop.js";
import { dayOf, lastDays, startOfDay } from "./time.js";

export interface DayUnits {
  /** YYYY-MM-DD (UTC). */
  day: string;
  restored: number;
  withheld: number;
}

export interface IntegrationActivity {
  restored: number;
  withheld: number;
  /** One entry per day of the window, oldest first. */
  days: DayUnits[];
}

const PAGE = 1000;
/** Rows replayed between turns of the event loop (a month of a busy integration is ~10^6 rows). */
const REPLAY_STEP = 50_000;

/** How a decision withholds: all its increase (0), none of it (1), or what its restoring parts did not cover (2). */
const WITHHOLDS_ALL = 0;
const WITHHOLDS_NONE = 1;
const WITHHOLDS_UNCOVERED = 2;

/**
 * Units an integration restored and withheld per day over the last `days` days, from the audit.
 * Restored units are the ledger's own (`restoredNow`). Withheld units are what a withholding
 * decision added to its line's cumulative total (the same step as the ledger's advanceLine),
 * replayed over the window from where each line stood before it (Store.lineTotalsBefore): a line
 * first cancelled before the window counted its older units again, as withheld in the window.
 * The window's rows are kept as columns of numbers, not as records (a month of a busy integration
 * took ~0.8 KB a row), and the event loop gets a turn between pages and replay steps.
 */
export async function integrationActivity(store: Store, integrationId: string, now: number, days = 30): Promise<IntegrationActivity> {
  const window = lastDays(now, days);
  const from = startOfDay(window[0]!);
  const dayIndex = new Map(window.map((day, index) => [day, index]));
  // Newest first, as the pages come.
  const lines: string[] = [];
  const quantities: number[] = [];
  const restored: number[] = [];
  const withholds: number[] = [];
  const dayOfRow: number[] = [];
  // Each line's oldest decision in the window (newest first: the last one seen).
  const firstInWindow = new Map<string, LineBefore>();
  for (let beforeId: number | undefined; ; ) {
    const page = await store.queryDecisions({ integrationId, from, beforeId, limit: PAGE });
    for (const row of page) {
      const line = `${row.orderId}\u0000${row.lineId}`;
      lines.push(line);
      firstInWindow.set(line, { orderId: row.orderId, lineId: row.lineId, beforeId: row.id });
      quantities.push(row.quantity);
      restored.push(row.restoredNow);
      withholds.push(row.parts !== undefined ? WITHHOLDS_UNCOVERED : row.restore ? WITHHOLDS_NONE : WITHHOLDS_ALL);
      dayOfRow.push(dayIndex.get(dayOf(row.decidedAt)) ?? -1);
    }
    if (page.length < PAGE) break;
    beforeId = page.at(-1)!.id;
    await yieldToEventLoop();
  }

  const series = window.map((day) => ({ day, restored: 0, withheld: 0 }));
  const keys = [...firstInWindow.keys()];
  const before = await store.lineTotalsBefore(integrationId, [...firstInWindow.values()]);
  const processed = new Map<string, number>(keys.map((key, index) => [key, before[index]!]));
  // Oldest first, as the ledger applied them.
  for (let index = lines.length - 1, step = 0; index >= 0; index--, step++) {
    if (step > 0 && step % REPLAY_STEP === 0) await yieldToEventLoop();
    const line = lines[index]!;
    const had = processed.get(line) ?? 0;
    // The ledger's cumulative step: only a total above what the line had processed counts.
    const after = advanceLine(had, { quantity: quantities[index]!, restore: false }).processed;
    processed.set(line, after);
    const increase = after - had;
    const totals = series[dayOfRow[index]!];
    if (!totals) continue;
    totals.restored += restored[index]!;
    const withhold = withholds[index]!;
    // A line cancelled under several reasons withholds what its restoring parts did not cover.
    if (withhold === WITHHOLDS_UNCOVERED) totals.withheld += Math.max(0, increase - restored[index]!);
    else if (withhold === WITHHOLDS_ALL) totals.withheld += increase;
  }
  return {
    restored: series.reduce((sum, day) => sum + day.restored, 0),
    withheld: series.reduce((sum, day) => sum + day.withheld, 0),
    days: series,
  };
}

/**
 * When the integration last received something, however long ago: the newest decided event or
 * the newest dead letter (a rejected or failed delivery). An event that was only ignored (a
 * cancel request) leaves no trace the store can look up by integration, so it does not count.
 */
export async function lastEventAt(store: Store, integrationId: string): Promise<number | null> {
  const [[decision], [letter]] = await Promise.all([
    store.queryDecisions({ integrationId, limit: 1 }),
    store.listDeadLetters({ integrationId, includeRetried: true, limit: 1 }),
  ]);
  const event = decision ? await store.getEvent(decision.eventId) : undefined;
  const times = [event?.receivedAt, letter?.createdAt].filter((time) => time !== undefined);
  return times.length === 0 ? null : Math.max(...times);
}
