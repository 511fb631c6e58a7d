import { hash } from "node:crypto";

/**
 * Advisory lock keys, in the two-int form (namespace, key) so that they cannot collide with locks
 * another application takes on the same database: 0x7273746b is "rstk".
 */
const NAMESPACE = 0x7273_746b;

/** Held while migrating: workers starting at once migrate once, one after the other. */
export const MIGRATION_LOCK: readonly [number, number] = [NAMESPACE, 0];

/** Held while a worker analyzes the inbox: the others skip it rather than queue behind it. */
export const STATISTICS_LOCK: readonly [number, number] = [NAMESPACE, 1];

/** Namespaces (second int of the pair is the hashed key) for per-(integration, order) locks. */
export const LockSpace = {
  /** Intake: taken before the event ids are drawn, so that inbox id order is commit order for one order. */
  intake: NAMESPACE + 1,
  /** Processing: the ledger rows of one (integration, order) are written by one batch at a time. */
  processing: NAMESPACE + 2,
} as const;

/**
 * A 32-bit key for one (integration, order). Hashed here rather than with SQL's hashtext so that
 * order ids never travel as text (an order id may hold characters PostgreSQL text cannot).
 * Two orders sharing a key only serialize more than needed.
 */
export function orderLockKey(integrationId: string, orderId: string): number {
  // One-shot hash of the same bytes as hashing the three parts in turn (every worker must agree).
  return hash("sha256", `${integrationId}\u0000${orderId}`, "buffer").readInt32BE(0);
}
