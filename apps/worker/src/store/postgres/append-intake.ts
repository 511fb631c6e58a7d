import type pg from "pg";
import type { IntakeReceipt, IntakeWrite } from "../types.js";
import { inTransaction } from "./connect.js";
import { LockSpace, orderLockKey } from "./locks.js";
import { drawIds, insertMany, storableText } from "./sql.js";

/** The channel every intake commit notifies: idle workers on every machine wake up. */
export const INBOX_CHANNEL = "restock_inbox";

const inboxColumns = {
  id: "bigint",
  integration_id: "text",
  source: "text",
  format: "text",
  content_type: "text",
  body: "bytea",
  body_hash: "text",
  order_key: "text",
  received_at: "bigint",
  next_attempt_at: "bigint",
  // JSON text (JSON.stringify escapes U+0000 and lone surrogates): always storable.
  parsed: "text",
};

/** Every order of an event naming several (../order-holds.ts). */
const orderColumns = { event_id: "bigint", integration_id: "text", order_key: "text" };

const rejectionColumns = {
  id: "bigint",
  kind: "text",
  integration_id: "text",
  source: "text",
  content_type: "text",
  body: "bytea",
  error: "text",
  field: "text",
  attempts: "integer",
  created_at: "bigint",
};

/**
 * One group commit: the events and rejections in ONE transaction, resolved after COMMIT returns
 * (synchronous_commit: the WAL is flushed). Before drawing event ids it takes the intake lock of
 * every order in the write, so that two instances receiving events of one order commit them in id
 * order: a processor that sees an event of an order has already seen every earlier one.
 * `timeoutMs` bounds the transaction (inTransaction): the worker's `writeTimeoutMs`.
 */
export function appendIntake(pool: pg.Pool, write: IntakeWrite, timeoutMs?: number): Promise<IntakeReceipt> {
  // Bounded, so that a database that hangs answers deliveries 503 rather than holding them.
  return inTransaction(pool, (client) => writeIntake(client, write), { timeoutMs });
}

async function writeIntake(client: pg.PoolClient, write: IntakeWrite): Promise<IntakeReceipt> {
  const keys = new Set<number>();
  for (const event of write.events) {
    // Every order an event names: a later event of its second order must get a higher id too.
    for (const order of event.orderKeys?.length ? event.orderKeys : [event.orderKey]) {
      if (order !== null) keys.add(orderLockKey(event.integrationId, order));
    }
  }
  if (keys.size > 0) {
    // Ascending, so that two intakes locking overlapping orders cannot deadlock.
    const sorted = [...keys].sort((a, b) => a - b);
    await client.query("SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int[]) AS k ORDER BY k", [LockSpace.intake, sorted]);
  }
  const eventIds = await drawIds(client, "inbox", write.events.length);
  await insertMany(
    client,
    "inbox",
    inboxColumns,
    write.events.map((e, i) => [
      eventIds[i],
      e.integrationId,
      e.source,
      e.format,
      e.contentType,
      Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength),
      e.bodyHash,
      e.orderKey === null ? null : storableText(e.orderKey),
      e.receivedAt,
      e.receivedAt,
      e.parsed ?? null,
    ]),
  );
  await insertMany(
    client,
    "inbox_orders",
    orderColumns,
    write.events.flatMap((e, i) => (e.orderKeys ?? []).map((order) => [eventIds[i], e.integrationId, storableText(order)])),
    "ON CONFLICT DO NOTHING",
  );
  const rejectionIds = await drawIds(client, "dead_letters", write.rejections.length);
  await insertMany(
    client,
    "dead_letters",
    rejectionColumns,
    write.rejections.map((r, i) => [
      rejectionIds[i],
      "rejected",
      r.integrationId,
      r.source,
      r.contentType,
      Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength),
      storableText(r.error),
      storableText(r.field),
      0,
      r.receivedAt,
    ]),
  );
  // Delivered to listeners when (and only if) this transaction commits.
  if (eventIds.length > 0) await client.query(`NOTIFY ${INBOX_CHANNEL}`);
  return { eventIds, rejectionIds };
}
