import type { RestorationMode } from "@restock/core";
import { explainIgnored } from "../explain.js";
import { MODE_CHOICES, modeLabel } from "../modes.js";
import type { TryResult } from "../try-payload.js";
import { CsrfField } from "./csrf-field.js";
import { DecisionCell, ReasonCell } from "./decision-cells.js";
import { Layout } from "./layout.js";

export interface TryPageProps {
  csrf: string;
  marketplaces: { id: string; name: string }[];
  values: { marketplace: string; mode: RestorationMode; payload: string };
  result?: TryResult;
  /** The name of the chosen marketplace, for explanations. */
  marketplaceName?: string;
}

export function TryPage({ csrf, marketplaces, values, result, marketplaceName }: TryPageProps) {
  return (
    <Layout title="Try a payload" section="try" csrf={csrf}>
      <h1>Try a payload</h1>
      <p class="lead">
        Paste a marketplace payload (JSON or XML) or a canonical cancellation and see what the worker would decide. Nothing is stored and no
        inventory changes.
      </p>
      <form method="post" action="/console/try" class="panel">
        <CsrfField token={csrf} />
        <div class="field">
          <label for="t-marketplace">Marketplace</label>
          <select id="t-marketplace" name="marketplace">
            {marketplaces.map((marketplace) => (
              <option key={marketplace.id} value={marketplace.id} selected={values.marketplace === marketplace.id}>
                {marketplace.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="inline-choices">
          <legend>Inventory Restoration on Order Cancellation</legend>
          {MODE_CHOICES.map((choice) => (
            <span class="inline-choice" key={choice.mode}>
              <input type="radio" id={`t-mode-${choice.mode}`} name="mode" value={choice.mode} checked={values.mode === choice.mode} />
              <label for={`t-mode-${choice.mode}`}>{choice.label}</label>
            </span>
          ))}
        </fieldset>
        <div class="field">
          <label for="t-payload">Payload</label>
          <textarea id="t-payload" name="payload" rows={14} spellcheck={false} required value={values.payload} />
        </div>
        <button type="submit" class="button button-primary">
          Show decisions
        </button>
      </form>
      {result && <TryResultView result={result} mode={values.mode} marketplace={marketplaceName ?? values.marketplace} />}
    </Layout>
  );
}

function TryResultView({ result, mode, marketplace }: { result: TryResult; mode: RestorationMode; marketplace: string }) {
  if (!result.ok) {
    return (
      <section aria-labelledby="result-heading" class="result">
        <h2 id="result-heading">The payload was refused</h2>
        <p class="error" role="alert">
          {result.error}
          {result.field && (
            <span class="small">
              {" "}
              (field <code>{result.field}</code>)
            </span>
          )}
        </p>
        <p class="muted">Sent to the worker, it would be rejected with this error and kept in the dead letter.</p>
      </section>
    );
  }
  const lines = result.cancellations.reduce((sum, cancellation) => sum + cancellation.decisions.length, 0);
  return (
    <section aria-labelledby="result-heading" class="result">
      <h2 id="result-heading">What the worker would decide</h2>
      <p role="status">
        {`${marketplace} under ${modeLabel(mode)}: ${result.cancellations.length} cancellation(s), ${lines} line(s), ${result.ignored.length} ignored event(s). Read by the ${result.adapterId} adapter ${result.adapterVersion}. Nothing was stored.`}
      </p>
      {result.cancellations.map((cancellation, index) => (
        <div class="table-scroll" key={`${cancellation.orderId}-${index}`}>
          <table>
            <caption>Order {cancellation.orderId}</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">SKU</th>
                <th scope="col" class="num">
                  Units cancelled
                </th>
                <th scope="col">Decision</th>
                <th scope="col">Reason code</th>
              </tr>
            </thead>
            <tbody>
              {cancellation.decisions.map((decision) => (
                <tr key={decision.lineId} class={decision.reasonOrigin === "unknown" ? "row-unknown" : undefined}>
                  <td>{decision.lineId}</td>
                  <td class="sku">{decision.sku}</td>
                  <td class="num">{decision.quantity}</td>
                  <DecisionCell decision={decision} marketplace={marketplace} tried />
                  <ReasonCell decision={decision} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {result.ignored.length > 0 && (
        <ul class="panel ignored">
          {result.ignored.map((event, index) => (
            <li key={`${event.kind}-${index}`}>
              <strong>{event.kind}</strong>
              {event.orderId && ` (order ${event.orderId})`}: {explainIgnored(event.reason)}
              {event.detail && <div class="muted small">{event.detail}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
