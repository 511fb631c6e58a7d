import type { ReasonTable, RestorationMode } from "@restock/core";
import type { Integration, ModeChange } from "../../settings/integration.js";
import type { IntegrationActivity } from "../activity.js";
import { MODE_CHOICES, modeLabel } from "../modes.js";
import { formatTime } from "../time.js";
import { CsrfField } from "./csrf-field.js";
import { Layout } from "./layout.js";
import { ReasonTableView } from "./reason-table.js";
import { UnitsChart } from "./units-chart.js";

export interface IntegrationPageProps {
  csrf: string;
  integration: Integration;
  marketplace: string;
  /** The reason table of the adapter that reads its deliveries; undefined when none is loaded. */
  reasons: ReasonTable | undefined;
  activity: IntegrationActivity;
  /** The integration's latest mode changes, newest first. */
  history: readonly ModeChange[];
  /** After a save: the change it made, or "unchanged". */
  saved?: ModeChange | "unchanged" | undefined;
}

export function IntegrationPage({ csrf, integration, marketplace, reasons, activity, history, saved }: IntegrationPageProps) {
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
      {saved !== undefined && <SavedNotice saved={saved} mode={integration.mode} />}

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

      <ModeHistory history={history} />

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

function SavedNotice({ saved, mode }: { saved: ModeChange | "unchanged"; mode: RestorationMode }) {
  return (
    <div class="notice" role="status">
      <strong>Saved.</strong>{" "}
      {saved === "unchanged" || saved.from === null
        ? `Inventory Restoration on Order Cancellation is still ${modeLabel(mode)}; nothing changed.`
        : saved.from === saved.to
          ? `Inventory Restoration on Order Cancellation stays ${modeLabel(saved.to)}, now as a seller's choice: a legacy import no longer changes it.`
          : `Inventory Restoration on Order Cancellation changed from ${modeLabel(saved.from)} to ${modeLabel(saved.to)}. Cancellations processed from now on follow ${modeLabel(saved.to)}; earlier decisions stay as they were.`}
    </div>
  );
}

const SET_BY: Record<ModeChange["setBy"], string> = {
  default: "the default",
  legacy: 'the legacy "Restore qty on cancel" import',
  seller: "a seller",
};
const VIA: Record<ModeChange["via"], string> = {
  api: "the API",
  console: "this console",
  cli: "the restock CLI",
  import: "the legacy import",
  samples: "the sample integrations",
};

/** Who set each mode, and when: a decision records the mode it ran under, this says where that mode came from. */
function ModeHistory({ history }: { history: readonly ModeChange[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Mode history</h2>
      {history.length === 0 ? (
        <p class="muted">No change recorded (the history starts with this version of restock).</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>The latest changes of Inventory Restoration on Order Cancellation, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Set by</th>
              </tr>
            </thead>
            <tbody>
              {history.map((change) => (
                <tr key={String(change.id)}>
                  <td>{formatTime(change.at)}</td>
                  <td>
                    {change.from === null ? "Created with " : change.from === change.to ? "" : `${modeLabel(change.from)} → `}
                    {modeLabel(change.to)}
                    {change.from === change.to ? " (chosen again)" : ""}
                  </td>
                  <td>
                    {SET_BY[change.setBy]}, through {VIA[change.via]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
