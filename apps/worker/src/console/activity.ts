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
  /** The newest decision's time, however old; null before the first cancellation. */
  lastDecisionAt: number | null;
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
  const rows: { line: string; quantity: number; restore: boolean; restoredNow: number; day: string }[] = [];
  let lastDecisionAt: number | null = null;
  for (let beforeId: number | undefined; ; ) {
    const page = await store.queryDecisions({ integrationId, from, beforeId, limit: PAGE });
    for (const row of page) {
      rows.push({
        line: `${row.orderId}\u0000${row.lineId}`,
        quantity: row.quantity,
        restore: row.restore,
        restoredNow: row.restoredNow,
        day: dayOf(row.decidedAt),
      });
    }
    lastDecisionAt ??= page[0]?.decidedAt ?? null;
    if (page.length < PAGE) break;
    beforeId = page.at(-1)!.id;
  }
  if (lastDecisionAt === null) lastDecisionAt = (await store.queryDecisions({ integrationId, limit: 1 }))[0]?.decidedAt ?? null;

  const byDay = new Map(window.map((day) => [day, { day, restored: 0, withheld: 0 }]));
  const processed = new Map<string, number>();
  // Oldest first, as the ledger applied them.
  for (let index = rows.length - 1; index >= 0; index--) {
    const row = rows[index]!;
    const before = processed.get(row.line) ?? 0;
    const step = advanceLine(before, row.quantity, row.restore);
    processed.set(row.line, step.processed);
    const totals = byDay.get(row.day);
    if (!totals) continue;
    totals.restored += row.restoredNow;
    if (!row.restore) totals.withheld += step.processed - before;
  }
  const series = [...byDay.values()];
  return {
    lastDecisionAt,
    restored: series.reduce((sum, day) => sum + day.restored, 0),
    withheld: series.reduce((sum, day) => sum + day.withheld, 0),
    days: series,
  };
}
