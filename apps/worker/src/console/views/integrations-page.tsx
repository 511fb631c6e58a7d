import type { Integration } from "../../settings/integration.js";
import type { IntegrationActivity } from "../activity.js";
import { modeLabel } from "../modes.js";
import { formatTime } from "../time.js";
import { Layout } from "./layout.js";

export interface IntegrationRow {
  integration: Integration;
  marketplace: string;
  activity: IntegrationActivity;
  lastEventAt: number | null;
}

export function IntegrationsPage({ csrf, rows }: { csrf: string; rows: IntegrationRow[] }) {
  return (
    <Layout title="Integrations" section="integrations" csrf={csrf}>
      <h1>Manage Integrations</h1>
      <p class="lead">
        Each integration is one connection to a sales channel, with its own setting for restoring inventory when an order is cancelled. Pick
        one to change it.
      </p>
      {rows.length === 0 ? (
        <p class="panel">
          No integrations yet. Add one with <code>restock integrations add</code> or <code>PUT /v1/integrations/:id</code>.
        </p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>Integrations, with units restored and withheld over the last 30 days</caption>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Marketplace</th>
                <th scope="col">Inventory restoration</th>
                <th scope="col">Last event</th>
                <th scope="col" class="num">
                  Restored
                </th>
                <th scope="col" class="num">
                  Withheld
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ integration, marketplace, activity, lastEventAt }) => (
                <tr key={integration.id}>
                  <th scope="row">
                    <a href={`/console/integrations/${encodeURIComponent(integration.id)}`}>{integration.id}</a>
                    <div class="muted small">Account {integration.account}</div>
                  </th>
                  <td>{marketplace}</td>
                  <td>
                    <span class={`badge mode-${integration.mode}`}>{modeLabel(integration.mode)}</span>
                  </td>
                  <td>{lastEventAt === null ? <span class="muted">None yet</span> : formatTime(lastEventAt)}</td>
                  <td class="num">{activity.restored}</td>
                  <td class="num">{activity.withheld}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
