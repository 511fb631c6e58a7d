// The SQLite processing benchmark's baseline: the rows a worker run wrote (inbox status, decisions,
// on-hand, ignored events), written again by a plain loop of prepared INSERT/UPDATE statements, in
// transactions of the same number of inbox events, with nothing read, parsed or decided. What the
// worker adds on top of this is its own cost. (An adjustment and a line's progress are read from
// decisions rows; the worker writes neither separately.)

/** Reads a processed SQLite database into per-event write lists, in inbox order: everything the processor wrote for each event. */
export function readWrittenRows(db) {
  const events = db.prepare("SELECT id, status, duplicate_of, processed_at FROM inbox ORDER BY id").all();
  const decisions = db.prepare("SELECT * FROM decisions ORDER BY id").all();
  const ignored = db.prepare("SELECT * FROM ignored_events ORDER BY id").all();
  const byEvent = new Map(events.map((event) => [event.id, { event, lines: [], ignored: [] }]));
  for (const decision of decisions) byEvent.get(decision.event_id)?.lines.push(decision);
  for (const row of ignored) byEvent.get(row.event_id)?.ignored.push(row);
  return { events: [...byEvent.values()], lines: decisions.length };
}

/** Prepared statements writing the same rows into a copy of the unprocessed database. */
export function preparePlainWrites(db) {
  const statements = {
    done: db.prepare("UPDATE inbox SET status = 'done', processed_at = ?, last_error = NULL WHERE id = ?"),
    duplicate: db.prepare("UPDATE inbox SET status = 'duplicate', duplicate_of = ?, processed_at = ? WHERE id = ?"),
    other: db.prepare("UPDATE inbox SET status = ?, processed_at = ? WHERE id = ?"),
    decision: db.prepare(
      `INSERT INTO decisions (event_id, integration_id, marketplace, account, order_id, line_id, sku, quantity, restored_now, restore, mode,
         outcome, rule, reason_code, reason_label, reason_origin, reason_derived, adapter_id, adapter_version, decided_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    onHand: db.prepare(
      `INSERT INTO inventory (account, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (account, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = excluded.updated_at`,
    ),
    ignored: db.prepare(
      "INSERT INTO ignored_events (event_id, integration_id, kind, reason, order_id, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
  };
  const writeEvent = ({ event, lines, ignored }, now) => {
    for (const d of lines) {
      statements.decision.run(
        d.event_id,
        d.integration_id,
        d.marketplace,
        d.account,
        d.order_id,
        d.line_id,
        d.sku,
        d.quantity,
        d.restored_now,
        d.restore,
        d.mode,
        d.outcome,
        d.rule,
        d.reason_code,
        d.reason_label,
        d.reason_origin,
        d.reason_derived,
        d.adapter_id,
        d.adapter_version,
        now,
      );
      if (d.restored_now > 0) statements.onHand.run(d.account, d.sku, d.restored_now, now);
    }
    for (const i of ignored) statements.ignored.run(i.event_id, i.integration_id, i.kind, i.reason, i.order_id, i.detail, now);
    if (event.status === "done") statements.done.run(now, event.id);
    else if (event.status === "duplicate") statements.duplicate.run(event.duplicate_of, now, event.id);
    else statements.other.run(event.status, now, event.id);
  };
  // One transaction (one fsync) per batch of events, as the processor commits one per batch.
  return db.transaction((batch, now) => {
    for (const event of batch) writeEvent(event, now);
  });
}
