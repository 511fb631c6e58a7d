export const DAY_MS = 24 * 60 * 60 * 1000;

/** "2026-11-26 12:02 UTC": the console shows every time in UTC, the time zone its date filters use. */
export function formatTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "12:02 UTC": the time of day, under its date (dayOf) in narrow table columns. */
export function formatClock(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(11, 16)} UTC`;
}

/** The UTC day of a time, as YYYY-MM-DD. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The start of a YYYY-MM-DD day (UTC), epoch ms. */
export function startOfDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The `count` UTC days ending with today, oldest first. */
export function lastDays(now: number, count: number): string[] {
  const today = startOfDay(dayOf(now));
  return Array.from({ length: count }, (_, index) => dayOf(today - (count - 1 - index) * DAY_MS));
}
