import type pg from "pg";
import { inTransaction } from "./connect.js";
import { STATISTICS_LOCK } from "./locks.js";

/** Inbox rows inserted or updated since the last ANALYZE beyond which the planner's picture is refreshed. */
const STALE_AFTER_CHANGES = 20_000;
/** How often a worker looks (a catalog read, three round trips). */
const CHECK_EVERY_MS = 30_000;

// Never analyzed (reltuples -1: a new database, or a copy whose activity counters started at zero),
// or many rows changed. The advisory lock lets one worker analyze while the others go on.
const claimAnalyzeSql = `
SELECT (c.reltuples < 0 OR COALESCE(s.n_mod_since_analyze, 0) >= $1) AND pg_try_advisory_xact_lock($2, $3) AS analyze
FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE c.oid = 'inbox'::regclass`;

/**
 * Keeps the inbox's statistics fresh enough for the batch claim. After a large intake (a backlog, a
 * replay) the statistics still describe the inbox as it was: almost no pending rows. The planner then
 * sorts every pending row, bodies included, to claim a batch, instead of reading the first rows of
 * the pending index in id order. Autovacuum would analyze eventually (after its naptime, past its
 * threshold of 10% of the table): a worker draining a backlog cannot wait for it.
 */
export function createInboxStatistics(pool: pg.Pool, timeoutMs: number) {
  let checkedAt = Number.NEGATIVE_INFINITY;
  return async function refreshIfStale(): Promise<void> {
    const now = performance.now();
    if (now - checkedAt < CHECK_EVERY_MS) return;
    checkedAt = now;
    await inTransaction(
      pool,
      async (client) => {
        const { rows } = await client.query<{ analyze: boolean }>(claimAnalyzeSql, [STALE_AFTER_CHANGES, ...STATISTICS_LOCK]);
        // Without the table's ownership ANALYZE skips it with a warning: nothing fails.
        if (rows[0]?.analyze) await client.query("ANALYZE inbox");
      },
      { timeoutMs },
    );
  };
}
