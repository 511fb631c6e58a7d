import type { ReasonTable, RestorationMode } from "@restock/core";
import type { Integration } from "../../settings/integration.js";
import type { IntegrationActivity } from "../activity.js";
import { MODE_CHOICES, modeLabel } from "../modes.js";
import { CsrfField } from "./csrf-field.js";
import { Layout } from "./layout.js";
import { ReasonTableView } from "./reason-table.js";
import { UnitsChart } from "./units-chart.js";

export interface IntegrationPageProps {
  csrf: string;
  integration: Integration;
  marketplace: string;
  reasons: ReasonTable;
  activity: IntegrationActivity;
  /** After a save: the mode it had before. */
  savedFrom?: RestorationMode;
}

export function IntegrationPage({ csrf, integration, marketplace, reasons, activity, savedFrom }: IntegrationPageProps) {
  const path = `/console/integrations/${encodeURIComponent(integration.id)}`;
  return (
    <Layout title={`${marketplace} · ${integration.id}`} section="integrations" csrf={csrf}>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/console/integrations">Integrations</a> <span aria-hidden="true">›</span> <span>{integration.id}</span>
      </nav>
      <h1>
        {marketplace} <span class="muted">· {integration.id}</span>
      </h1>
      <p class="lead">Seller account {integration.account}</p>
      {savedFrom !== undefined && <SavedNotice from={savedFrom} to={integration.mode} />}

      <form method="post" action={path} class="panel settings">
        <CsrfField token={csrf} />
        <fieldset>
          <legend>Inventory Restoration on Order Cancellation</legend>
          <p class="hint">What happens to this integration's inventory when an order is cancelled.</p>
          {MODE_CHOICES.map((choice) => (
            <div class="choice" key={choice.mode}>
              <input
                type="radio"
                id={`mode-${choice.mode}`}
                name="mode"
                value={choice.mode}
                checked={integration.mode === choice.mode}
                aria-describedby={`mode-${choice.mode}-help`}
              />
              <label for={`mode-${choice.mode}`}>
                <span class="choice-title">{choice.label}</span>
                {integration.mode === choice.mode && <span class="badge current">Current</span>}
              </label>
              <p class="choice-help" id={`mode-${choice.mode}-help`}>
                {choice.does} <span class="muted">For: {choice.meantFor}</span>
              </p>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button button-primary">
          Save
        </button>
      </form>

      <section aria-labelledby="reasons-heading">
        <h2 id="reasons-heading">{marketplace}'s Smart Logic table</h2>
        <ReasonTableView marketplace={marketplace} reasons={reasons} />
      </section>

      <section aria-labelledby="chart-heading">
        <h2 id="chart-heading">Units restored and withheld, last 30 days</h2>
        <UnitsChart days={activity.days} />
        <p>
          <a href={`/console/decisions?integration=${encodeURIComponent(integration.id)}`}>See every decision of this integration</a>
        </p>
      </section>
    </Layout>
  );
}

function SavedNotice({ from, to }: { from: RestorationMode; to: RestorationMode }) {
  return (
    <div class="notice" role="status">
      <strong>Saved.</strong>{" "}
      {from === to
        ? `Inventory Restoration on Order Cancellation is still ${modeLabel(to)}; nothing changed.`
        : `Inventory Restoration on Order Cancellation changed from ${modeLabel(from)} to ${modeLabel(to)}. Cancellations processed from now on follow ${modeLabel(to)}; earlier decisions stay as they were.`}
    </div>
  );
}
