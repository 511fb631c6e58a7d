import type { Counter } from "prom-client";

/** A tally's totals as plain data: what a processing thread posts to the thread that owns the metrics. */
export type TallyEntries<L extends string> = { labels: Partial<Record<L, string>>; value: number }[];

/**
 * Adds up a batch's counter increments by label set, so that a batch of hundreds of events calls
 * prom-client once per distinct set of labels instead of once per event (each call hashes its
 * labels: ~2 µs per line in a drain profile).
 */
export class LabelTally<L extends string> {
  private readonly totals = new Map<string, { labels: Partial<Record<L, string>>; value: number }>();

  add(labels: Partial<Record<L, string>>, value = 1): void {
    // \u0000 cannot occur in a label value that came through JSON text or a marketplace name.
    const key = Object.values(labels).join("\u0000");
    const entry = this.totals.get(key);
    if (entry) entry.value += value;
    else this.totals.set(key, { labels, value });
  }

  entries(): TallyEntries<L> {
    return [...this.totals.values()];
  }
}

/** Adds every total to `counter`. */
export function incrementBy<L extends string>(counter: Counter<L>, entries: TallyEntries<L>): void {
  for (const { labels, value } of entries) counter.inc(labels, value);
}
