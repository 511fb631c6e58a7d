import { type DeadLetter, isOpenLetter, RETRYING } from "../../store/types.js";
import { formatTime } from "../time.js";
import { Layout } from "./layout.js";
import { RetryForm } from "./retry-form.js";

export interface DeadLetterFilterValues {
  kind: string;
  integration: string;
  all: boolean;
}

export interface DeadLettersPageProps {
  csrf: string;
  values: DeadLetterFilterValues;
  integrationIds: string[];
  letters: DeadLetter[];
  error?: string;
  olderHref?: string;
}

export const KIND_LABELS = {
  rejected: "Rejected at intake",
  failed: "Failed processing",
} as const;

export function DeadLettersPage({ csrf, values, integrationIds, letters, error, olderHref }: DeadLettersPageProps) {
  return (
    <Layout title="Dead letter" section="dead-letters" csrf={csrf}>
      <h1>Dead letter</h1>
      <p class="lead">
        Deliveries the worker refused (the payload did not validate) and events that kept failing. Nothing here changed inventory. Fix the
        cause (an adapter, the integration), then retry.
      </p>
      <form method="get" action="/console/dead-letters" class="panel filters">
        <div class="filter-grid">
          <div class="field">
            <label for="d-kind">Kind</label>
            <select id="d-kind" name="kind">
              <option value="">Both kinds</option>
              {(["rejected", "failed"] as const).map((kind) => (
                <option key={kind} value={kind} selected={values.kind === kind}>
                  {KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="d-integration">Integration</label>
            <select id="d-integration" name="integration">
              <option value="">All integrations</option>
              {integrationIds.map((id) => (
                <option key={id} value={id} selected={values.integration === id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div class="field checkbox">
            <input id="d-all" name="all" type="checkbox" value="true" checked={values.all} />
            <label for="d-all">Include letters already retried</label>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button button-primary">
            Filter
          </button>
        </div>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {letters.length === 0 ? (
        <p class="panel">The dead letter is empty.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>Dead letters, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Received</th>
                <th scope="col">Integration</th>
                <th scope="col">Kind</th>
                <th scope="col">Error</th>
                <th scope="col">Status</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => (
                <tr key={letter.id}>
                  <td>{letter.id}</td>
                  <td class="nowrap">{formatTime(letter.createdAt)}</td>
                  <td>{letter.integrationId}</td>
                  <td>{KIND_LABELS[letter.kind]}</td>
                  <td class="error-text">
                    {letter.error}
                    {letter.field && <div class="muted small">Field: {letter.field}</div>}
                  </td>
                  <td>
                    {letter.retriedAt === null ? (
                      "Waiting"
                    ) : letter.retryResult === RETRYING ? (
                      `Being retried since ${formatTime(letter.retriedAt)}`
                    ) : (
                      <>
                        Retried {formatTime(letter.retriedAt)}
                        <div class="muted small">{letter.retryResult}</div>
                      </>
                    )}
                  </td>
                  <td class="row-actions">
                    <a href={`/console/dead-letters/${letter.id}`}>
                      View payload<span class="visually-hidden"> of dead letter {letter.id}</span>
                    </a>
                    {isOpenLetter(letter) && <RetryForm csrf={csrf} id={letter.id} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderHref && (
        <p>
          <a class="button" href={olderHref}>
            Older letters
          </a>
        </p>
      )}
    </Layout>
  );
}
