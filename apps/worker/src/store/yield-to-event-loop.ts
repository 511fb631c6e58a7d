import { setImmediate } from "node:timers/promises";

/**
 * Gives the event loop a turn. SQLite's reads answer synchronously, so a loop awaiting page after
 * page of them resolves as microtasks only: a long read (a month of decisions, a CSV export) held
 * the event loop until its end, and webhooks, health checks and metrics waited the whole time.
 * Long readers call this between pages.
 */
export const yieldToEventLoop = (): Promise<void> => setImmediate();
