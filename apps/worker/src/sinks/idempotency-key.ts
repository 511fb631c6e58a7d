import type { AdjustmentRecord } from "../store/types.js";

/**
 * The `Idempotency-Key` an adjustment is sent under: its id and when it was decided (epoch ms), e.g.
 * `1234-1764460800123`. The id alone is unique within one database only: a restored backup hands the
 * ids decided after the copy out again, and a new database (a move from SQLite to PostgreSQL) starts
 * at 1, so a host that remembered a key took a new adjustment for a repeat and dropped its units.
 * Adjustments decided before keys named the time (`bareKeysThrough`, set by the migration that made
 * the change) keep the bare id, so one retried across that upgrade is still a repeat to the host.
 */
export function idempotencyKey(adjustment: Pick<AdjustmentRecord, "id" | "createdAt">, bareKeysThrough: number): string {
  return adjustment.id <= bareKeysThrough ? String(adjustment.id) : `${adjustment.id}-${adjustment.createdAt}`;
}
