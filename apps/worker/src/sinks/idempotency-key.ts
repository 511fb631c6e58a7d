import type { AdjustmentRecord } from "../store/types.js";

/**
 * The `Idempotency-Key` an adjustment is sent under: its id and when it was decided (epoch ms), e.g.
 * `1234-1764460800123`. The id alone is unique within one database only: a restored backup hands the
 * ids decided after the copy out again, and a new database (a move from SQLite to PostgreSQL) starts
 * at 1, so a host that remembered a key took a new adjustment for a repeat and dropped its units.
 * An outbox row queued before keys named the time, or by a process of that version still running
 * (`keyWithTime` false: the writer of the row decides), keeps the bare id, so a retry of it is still
 * the repeat it is to the host.
 */
export function idempotencyKey(adjustment: Pick<AdjustmentRecord, "id" | "createdAt">, keyWithTime: boolean): string {
  return keyWithTime ? `${adjustment.id}-${adjustment.createdAt}` : String(adjustment.id);
}
