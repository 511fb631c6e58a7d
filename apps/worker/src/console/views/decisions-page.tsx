import { Outcome, Rule, restorableQuantity } from "@restock/core";
import type { DecisionRecord } from "../../store/types.js";
import { outcomeLabel, RULE_LABELS } from "../modes.js";
import { dayOf, formatClock } from "../time.js";
import { DecisionCell, ReasonCell } from "./decision-cells.js";
import { Layout } from "./layout.js";

/** The filter form's fields, as typed (empty string: no filter). */
export interface DecisionFilterValues {
  integration: string;
  order: string;
  sku: string;
  outcome: string;
  rule: string;
  from: string;
  to: string;
}

export interface DecisionsPageProps {
  csrf: string;
  values: DecisionFilterValues;
  integrationIds: string[];
  rows: { record: DecisionRecord; marketplace: string }[];
  /** A filter the form could not use. */
  error?: string;
  /** The next (older) page, when there may be one. */
  olderHref?: string;
  /** The export of the same filter; none while the filter cannot be used. */
  csvHref: string | undefined;
}

export function DecisionsPage({ csrf, values, integrationIds, rows, error, olderHref, csvHref }: DecisionsPageProps) {
  return (
    <Layout title="Decisions" section="decisions" csrf={csrf}>
      <h1>Decisions</h1>
      <p class="lead">Every cancelled line the worker decided, newest first, with the reason in plain words. Times and dates are UTC.</p>
      <form method="get" action="/console/decisions" class="panel filters">
        <div class="filter-grid">
          <div class="field">
            <label for="f-integration">Integration</label>
            <select id="f-integration" name="integration">
              <option value="">All integrations</option>
              {integrationIds.map((id) => (
                <option key={id} value={id} selected={values.integration === id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-order">Order</label>
            <input id="f-order" name="order" type="text" value={values.order} />
          </div>
          <div class="field">
            <label for="f-sku">SKU</label>
            <input id="f-sku" name="sku" type="text" value={values.sku} />
          </div>
          <div class="field">
            {/* The reason table's outcome, not what stock did: a restoring reason on units already counted restores nothing. */}
            <label for="f-outcome">Reason's outcome</label>
            <select id="f-outcome" name="outcome">
              <option value="">Any outcome</option>
              {Outcome.options.map((outcome) => (
                <option key={outcome} value={outcome} selected={values.outcome === outcome}>
                  {outcomeLabel(outcome)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-rule">Rule</label>
            <select id="f-rule" name="rule">
              <option value="">Any rule</option>
              {Rule.options.map((rule) => (
                <option key={rule} value={rule} selected={values.rule === rule}>
                  {RULE_LABELS[rule]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-from">From date</label>
            <input id="f-from" name="from" type="date" value={values.from} />
          </div>
          <div class="field">
            <label for="f-to">To date (included)</label>
            <input id="f-to" name="to" type="date" value={values.to} />
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
          <a class="button" href="/console/decisions">
            Clear filters
          </a>
          {csvHref !== undefined && (
            <a class="button button-quiet" href={csvHref}>
              Download CSV
            </a>
          )}
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rows.length === 0 ? (
        <p class="panel">No decisions match.</p>
      ) : (
        <div class="table-scroll">
          <table class="decisions">
            <caption>Decisions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Decided</th>
                <th scope="col">Integration</th>
                <th scope="col">Order / line</th>
                <th scope="col">SKU</th>
                <th scope="col" class="num">
                  Units
                </th>
                <th scope="col">Decision</th>
                <th scope="col">Reason code</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ record, marketplace }) => (
                <tr key={record.id} class={record.reasonOrigin === "unknown" ? "row-unknown" : undefined}>
                  <td class="nowrap">
                    {dayOf(record.decidedAt)}
                    <div class="muted small">{formatClock(record.decidedAt)}</div>
                  </td>
                  <td>
                    <a href={`/console/integrations/${encodeURIComponent(record.integrationId)}`}>{record.integrationId}</a>
                    <div class="muted small">{marketplace}</div>
                  </td>
                  <td class="order-line">
                    {record.orderId}
                    <div class="muted small">line {record.lineId}</div>
                  </td>
                  <td class="sku">{record.sku}</td>
                  <td class="num nowrap">
                    {record.quantity} cancelled
                    <div class="muted small">{unitsNote(record)}</div>
                  </td>
                  <DecisionCell decision={record} marketplace={marketplace} restoredNow={record.restoredNow} />
                  <ReasonCell decision={record} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderHref && (
        <p>
          <a class="button" href={olderHref}>
            Older decisions
          </a>
        </p>
      )}
    </Layout>
  );
}

/**
 * What the decision did to stock: the units it added (restoredNow). Totals are cumulative (rule book
 * §3), so the rest of the line's total was decided by earlier decisions, restored or withheld then as
 * their own rows say: "n before" counted them as restored, though units withheld under Never or for a
 * reason that does not restore were not (the ledger knows; this row alone does not).
 */
function unitsNote(record: DecisionRecord): string {
  if (record.restoredNow > 0) return `${record.restoredNow} restored now`;
  return restorableQuantity(record) === 0 ? "none restored" : "none restored now";
}
