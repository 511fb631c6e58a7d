import type { DecidedSince } from "../../processing/dead-letters.js";
import { type DeadLetter, isOpenLetter, RETRYING } from "../../store/types.js";
import { formatTime } from "../time.js";
import { KIND_LABELS } from "./dead-letters-page.js";
import { Layout } from "./layout.js";
import { RetryForm } from "./retry-form.js";

export interface DeadLetterPageProps {
  csrf: string;
  letter: DeadLetter;
  /** The stored body as text (`exact`: the bytes are UTF-8, so the text is them); null when none was kept. */
  payload: { text: string; exact: boolean } | null;
  /**
   * The outcome of a retry just made. `rejectedAgainAs`: the payload failed validation again and
   * this new letter says why (a warning, linked: the retry ran, but nothing was taken).
   */
  notice?: { ok: boolean; message: string; rejectedAgainAs?: number };
  /** A later event of the failed event's order decided while it lay dead (processing/dead-letters.ts decidedSince). */
  decidedSince?: DecidedSince | undefined;
}

export function DeadLetterPage({ csrf, letter, payload, notice, decidedSince }: DeadLetterPageProps) {
  return (
    <Layout title={`Dead letter ${letter.id}`} section="dead-letters" csrf={csrf}>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/console/dead-letters">Dead letter</a> <span aria-hidden="true">›</span> <span>#{letter.id}</span>
      </nav>
      <h1>Dead letter #{letter.id}</h1>
      {notice && notice.rejectedAgainAs === undefined && (
        <p class={notice.ok ? "notice" : "error"} role={notice.ok ? "status" : "alert"}>
          {notice.message}
        </p>
      )}
      {notice?.rejectedAgainAs !== undefined && (
        <p class="notice warning" role="status">
          Retried: rejected again as dead letter <a href={`/console/dead-letters/${notice.rejectedAgainAs}`}>{notice.rejectedAgainAs}</a>.
        </p>
      )}
      <dl class="panel facts">
        <dt>Kind</dt>
        <dd>{KIND_LABELS[letter.kind]}</dd>
        <dt>Integration</dt>
        <dd>
          <a href={`/console/integrations/${encodeURIComponent(letter.integrationId)}`}>{letter.integrationId}</a>
        </dd>
        <dt>Received</dt>
        <dd>
          {formatTime(letter.createdAt)} via {letter.source}
          {letter.eventId !== null && ` (event ${letter.eventId})`}
        </dd>
        <dt>Error</dt>
        <dd class="error-text">{letter.error}</dd>
        {letter.field && (
          <>
            <dt>Field</dt>
            <dd>
              <code>{letter.field}</code>
            </dd>
          </>
        )}
        <dt>Attempts</dt>
        <dd>{letter.attempts}</dd>
        <dt>Status</dt>
        <dd>
          {letter.retriedAt === null
            ? "Waiting for a retry"
            : letter.retryResult === RETRYING
              ? `Being retried since ${formatTime(letter.retriedAt)} (a retry that crashed is given up after a minute)`
              : `Retried ${formatTime(letter.retriedAt)}: ${letter.retryResult}`}
        </dd>
      </dl>
      {isOpenLetter(letter) && decidedSince && (
        <p class="error" role="alert">
          Event {decidedSince.eventId} of order <code>{decidedSince.orderId}</code> was decided after this event failed. A retry applies
          this event after it, so the units this event alone reported count against that event's totals and may not be restored or withheld
          as they should have been: check the order's stock after retrying.
        </p>
      )}
      {!isOpenLetter(letter) && decidedSince && (
        <p class="error" role="alert">
          Event {decidedSince.eventId} of order <code>{decidedSince.orderId}</code> was decided after this event failed, and this event was
          retried after it: the units this event alone reported counted against that event's totals and may not have been restored or
          withheld as they should have been. Check the order's stock.
        </p>
      )}
      {isOpenLetter(letter) && (
        <div class="actions">
          <RetryForm csrf={csrf} id={letter.id} />
          <span class="muted">
            {letter.kind === "failed"
              ? "Puts the event back in the inbox as it is."
              : "Sends the stored payload through intake again; if it still does not validate, a new dead letter records why."}
          </span>
        </div>
      )}
      <section aria-labelledby="payload-heading">
        <h2 id="payload-heading">Payload as received{letter.contentType && <span class="muted small"> ({letter.contentType})</span>}</h2>
        {payload === null ? (
          <p class="muted">No payload was kept.</p>
        ) : (
          <>
            {!payload.exact && <p class="muted">These bytes are not valid UTF-8: the text below shows � where they could not be read.</p>}
            <pre class="payload">{payload.text}</pre>
            <p>
              <a href={`/console/dead-letters/${letter.id}/body`} download>
                Download the payload byte for byte
              </a>
            </p>
          </>
        )}
      </section>
    </Layout>
  );
}
