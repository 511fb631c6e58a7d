import type { PartDecision } from "@restock/core";
import { advanceLine } from "../ledger/advance-line.js";
import type { Store } from "../store/store.js";
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

/**
 * Units an integration restored and withheld per day over the last `days` days, from the audit.
 * Restored units are the ledger's own (`restoredNow`). Withheld units are what a withholding
 * decision added to its line's cumulative total (the same step as the ledger's advanceLine),
 * replayed over the window: a line first cancelled before the window may count its older units.
 */
export async function integrationActivity(store: Store, integrationId: string, now: number, days = 30): Promise<IntegrationActivity> {
  const window = lastDays(now, days);
  const from = startOfDay(window[0]!);
  const rows: { line: string; quantity: number; restore: boolean; parts?: PartDecision[]; restoredNow: number; day: string }[] = [];
  for (let beforeId: number | undefined; ; ) {
    const page = await store.queryDecisions({ integrationId, from, beforeId, limit: PAGE });
    for (const row of page) {
      rows.push({
        line: `${row.orderId}\u0000${row.lineId}`,
        quantity: row.quantity,
        restore: row.restore,
        ...(row.parts === undefined ? {} : { parts: row.parts }),
        restoredNow: row.restoredNow,
        day: dayOf(row.decidedAt),
      });
    }
    if (page.length < PAGE) break;
    beforeId = page.at(-1)!.id;
  }

  const byDay = new Map(window.map((day) => [day, { day, restored: 0, withheld: 0 }]));
  const processed = new Map<string, number>();
  // Oldest first, as the ledger applied them.
  for (let index = rows.length - 1; index >= 0; index--) {
    const row = rows[index]!;
    const before = processed.get(row.line) ?? 0;
    const step = advanceLine(before, row);
    processed.set(row.line, step.processed);
    const totals = byDay.get(row.day);
    if (!totals) continue;
    totals.restored += row.restoredNow;
    // A line cancelled under several reasons withholds what its restoring parts did not cover.
    const increase = step.processed - before;
    if (row.parts !== undefined) totals.withheld += Math.max(0, increase - row.restoredNow);
    else if (!row.restore) totals.withheld += increase;
  }
  const series = [...byDay.values()];
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
