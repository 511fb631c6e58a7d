import { idempotencyKey } from "../../sinks/idempotency-key.js";
import { HOST_SINK_TURNED_BY } from "../../sinks/sink-status.js";
import type { HostSinkState, UndeliveredAdjustment } from "../../store/types.js";
import { formatTime } from "../time.js";
import { Layout } from "./layout.js";

export interface SinkPageProps {
  csrf: string;
  state: HostSinkState;
  undelivered: number;
  /** The page's rows, oldest first. */
  rows: UndeliveredAdjustment[];
  laterHref?: string;
  /** Why the rows asked for cannot be listed (a malformed `?after=`). */
  error?: string;
}

/** The host sink: whether adjustments are queued for the host, and what it has not acknowledged yet. */
export function SinkPage({ csrf, state, undelivered, rows, laterHref, error }: SinkPageProps) {
  return (
    <Layout title="Host sink" section="sink" csrf={csrf}>
      <h1>Host sink</h1>
      {state.enabled ? (
        <p class="lead">
          Every restored unit is sent to your inventory service once it is decided. Adjustments it has not acknowledged are retried until it
          does; a failing one stays listed here with its last error.
        </p>
      ) : (
        // Off, nothing decided is queued: "sent" and "acknowledged" would tell the seller their service has stock it never heard of.
        <p class="lead">
          Queueing is off: restored units are recorded in the ledger but not sent to an inventory service.{" "}
          {state.changedBy === HOST_SINK_TURNED_BY.disable ? (
            <>
              It was turned off with <code>restock sink disable</code>; <code>restock sink enable</code> turns it on again.
            </>
          ) : (
            <>
              A worker started with a sink URL turns it on, as does <code>restock sink enable</code>.
            </>
          )}
        </p>
      )}
      <dl class="panel facts">
        <dt>Queueing adjustments</dt>
        <dd>
          {state.enabled ? "On" : "Off"}
          <div class="muted small">
            since {formatTime(state.changedAt)} ({changedBy(state.changedBy)})
          </div>
        </dd>
        <dt>Not acknowledged yet</dt>
        <dd>{undelivered}</dd>
      </dl>
      {error ? (
        <p class="error" role="alert">
          {error} <a href="/console/sink">Show the oldest adjustments</a>
        </p>
      ) : rows.length === 0 ? (
        <p class="panel">
          {state.enabled ? "Your inventory service has acknowledged every adjustment." : "Nothing is waiting to be sent."}
        </p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>Adjustments not acknowledged yet, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Decided</th>
                <th scope="col">Integration</th>
                <th scope="col">Order</th>
                <th scope="col">SKU</th>
                <th scope="col">Units</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Idempotency-Key</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ adjustment, attempts, lastError, nextAttemptAt, keyWithTime }) => (
                <tr key={adjustment.id}>
                  <td>{adjustment.id}</td>
                  <td class="nowrap">{formatTime(adjustment.createdAt)}</td>
                  <td>{adjustment.integrationId}</td>
                  <td>{adjustment.orderId}</td>
                  <td>{adjustment.sku}</td>
                  <td>+{adjustment.delta}</td>
                  <td>{attempts}</td>
                  <td class="error-text">{lastError ?? <span class="muted">not tried yet</span>}</td>
                  <td class="nowrap">{formatTime(nextAttemptAt)}</td>
                  {/* What the host's own records know it by. */}
                  <td class="nowrap">
                    <code>{idempotencyKey(adjustment, keyWithTime)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {laterHref && (
        <p>
          <a class="button" href={laterHref}>
            Later adjustments
          </a>
        </p>
      )}
    </Layout>
  );
}

/**
 * Who set the switch, in words. The migration that added it (SQLite's 7, PostgreSQL's 8) records
 * itself: on where adjustments had been queued before, off elsewhere.
 */
function changedBy(by: string): string {
  return /^migration \d+$/.test(by) ? "set up with this database" : by;
}
