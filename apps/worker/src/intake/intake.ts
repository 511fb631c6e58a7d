import { createHash } from "node:crypto";
import {
  decodeUtf8,
  type Engine,
  formatPath,
  isPayloadError,
  type ParseResult,
  PayloadError,
  verifySharedSecret,
  type WebhookRequest,
} from "@restock/core";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { createOutageLog, createWindowedLog, type OutageLog } from "../ops/outage-log.js";
import { storeParse } from "../processing/stored-parse.js";
import type { Integration } from "../settings/integration.js";
import type { SettingsService } from "../settings/settings-service.js";
import { nulPath } from "../store/nul-path.js";
import { ordersOf } from "../store/order-holds.js";
import type { Store } from "../store/store.js";
import { isStoreUnavailable } from "../store/store-unavailable.js";
import type { EventSource, NewEvent } from "../store/types.js";
import { bodyFormat, sniffedFormat } from "./body-format.js";
import type { GroupCommit } from "./group-commit.js";
import { canonicalNearMiss, type PayloadInput, parsePayloadInput, readPayload } from "./read-payload.js";

export interface IntakeRequest {
  integrationId: string;
  /** The exact bytes received (a string is taken as UTF-8). */
  body: Buffer | string;
  /** The Content-Type header; absent for replayed events recorded without one (the body then decides). */
  contentType?: string | null | undefined;
  source: EventSource;
  /**
   * Whether the body may be a canonical cancellation instead of the marketplace's payload; default:
   * for every source but webhooks (a retried dead letter keeps its first delivery's answer).
   */
  canonical?: boolean;
  /** For marketplace webhooks: what `verifyWebhook` checks. */
  webhook?: Omit<WebhookRequest, "rawBody">;
  /** A dead letter's body sent through again: counted in metrics as source "retry" (stored with `source` as given). */
  retry?: boolean;
}

export type IntakeResult =
  | { status: 202; eventId: number }
  | { status: 400; error: string; field: string | null; rejectionId: number }
  | { status: 401 | 404 | 415 | 503; error: string };

export interface Intake {
  /** Validates and durably stores one delivery; the one entry point for HTTP, the host API and replay. */
  receive(request: IntakeRequest): Promise<IntakeResult>;
  /**
   * What can be refused of a webhook before its body is read: an unknown integration (404), and a
   * wrong or missing shared secret where the adapter checks one (401; a signature needs the body).
   * Undefined when the body is needed to tell, or the integration cannot be looked up now
   * (`receive` answers then). `receive` checks all of it again.
   */
  admitWebhook(integrationId: string, webhook: Omit<WebhookRequest, "rawBody">): Promise<IntakeResult | undefined>;
}

const EMPTY_BODY = new Uint8Array(0);

const isWellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

export interface IntakeDeps {
  store: Store;
  /** How a delivery finds its integration; default: the store (the worker passes the settings service's cached lookup). */
  lookup?: SettingsService["lookup"];
  engine: Engine;
  commits: GroupCommit;
  metrics: Metrics;
  logger: Logger;
  /** Where "could not be stored" goes: one line a minute and a summary (default: on `logger`). */
  unstored?: OutageLog;
  now?: () => number;
}

export function createIntake({
  store,
  lookup = (id) => store.getIntegration(id),
  engine,
  commits,
  metrics,
  logger,
  unstored = createUnstoredLog(logger),
  now = Date.now,
}: IntakeDeps): Intake {
  // Once a minute, not per delivery: a marketplace retrying every refused delivery (and anyone posting
  // to the URL, as this is before the webhook check) made an error line each.
  const withoutAdapter = createWindowedLog<{ integrationId: string; marketplace: string }>(logger, {
    level: "error",
    fields: (failure) => failure,
    lastFields: (failure) => failure,
    more: (n, last) =>
      `${n} more deliveries were answered 503: no adapter is loaded for their integration's marketplace (the last: ${last.marketplace})`,
    recovered: "deliveries find their marketplace's adapter again",
  });
  /** The integration, or the answer when there is none (404) or it cannot be looked up now (503). */
  async function findIntegration(integrationId: string): Promise<Integration | IntakeResult> {
    let integration: Awaited<ReturnType<typeof lookup>>;
    try {
      integration = await lookup(integrationId);
    } catch (error) {
      return storeUnavailable("unknown", error);
    }
    if (integration) return integration;
    metrics.eventsRejected.inc({ marketplace: "unknown", reason: "unknown_integration" });
    return { status: 404, error: `unknown integration "${integrationId}"` };
  }

  async function receive(request: IntakeRequest): Promise<IntakeResult> {
    const integration = await findIntegration(request.integrationId);
    if ("status" in integration) return integration;
    const { marketplace } = integration;
    const adapter = engine.adapterFor(marketplace);
    if (!adapter) {
      // A configuration problem, not the sender's: 503 makes the marketplace deliver again later.
      withoutAdapter.failed({ integrationId: integration.id, marketplace }, "no adapter loaded for the integration's marketplace");
      metrics.eventsRejected.inc({ marketplace, reason: "no_adapter" });
      return { status: 503, error: `no adapter is loaded for marketplace "${marketplace}"` };
    }
    // A string body (a replay's) with a lone surrogate has no exact UTF-8 bytes. It is refused below,
    // and kept JSON-escaped (lossless): as UTF-8 the surrogate would become U+FFFD, and a retry of the
    // dead letter would then be accepted, with two such SKUs as one.
    const wellFormed = typeof request.body !== "string" || isWellFormed(request.body);
    const body =
      typeof request.body === "string" ? Buffer.from(wellFormed ? request.body : JSON.stringify(request.body), "utf8") : request.body;
    if (request.webhook) {
      const secret = integration.webhookSecret;
      const check = { ...request.webhook, rawBody: body };
      const authentic =
        secret !== null &&
        isAuthentic(() => (adapter.verifyWebhook ? adapter.verifyWebhook(check, secret) : verifySharedSecret(check, secret)), marketplace);
      if (!authentic) {
        metrics.eventsRejected.inc({ marketplace, reason: "unauthorized" });
        return { status: 401, error: "webhook authentication failed" };
      }
    }
    const receivedAt = now();
    const contentType = request.contentType ?? null;
    // What is stored of the delivery, accepted or not.
    const delivery = { integrationId: integration.id, source: request.source, contentType, body, receivedAt };
    // A malformed body: 400 naming the field, and the raw bytes kept as a dead letter.
    const reject = async (error: PayloadError): Promise<IntakeResult> => {
      let rejectionId: number;
      try {
        rejectionId = await commits.addRejection({ ...delivery, error: error.message, field: error.path || null });
      } catch (storeError) {
        return storeUnavailable(marketplace, storeError);
      }
      // Counted once kept: a rejection the store could not keep counts as store_unavailable only.
      metrics.eventsRejected.inc({ marketplace, reason: "invalid_payload" });
      return { status: 400, error: error.message, field: error.path || null, rejectionId };
    };
    let text: string;
    try {
      // Strict: bytes in another encoding must not become U+FFFD (two SKUs would become one).
      if (!wellFormed) throw new PayloadError("body is not well-formed text (it holds a lone surrogate; kept JSON-escaped)");
      text = decodeUtf8(body);
    } catch (error) {
      return reject(error as PayloadError);
    }
    const declared = bodyFormat(request.contentType, text);
    if (declared === undefined) {
      // text/plain is taken for XML only; said with what is taken, as the route's own 415 says it.
      return unsupported(
        marketplace,
        `content-type "${request.contentType ?? ""}" is not accepted for this body: send application/json, or application/xml, text/xml or text/plain for XML`,
      );
    }
    // An adapter that takes both formats is handed text only, so it reads the body as what the body
    // is, whatever its Content-Type says: the event is stored with that format (its download's name,
    // what processing hands back), not the label's.
    const format = adapter.capabilities.formats.length > 1 ? sniffedFormat(text) : declared;
    let input: PayloadInput | undefined;
    let parsed: ParseResult;
    const canCarryCanonical = request.canonical ?? request.source !== "webhook";
    try {
      input = readPayload(text, format, canCarryCanonical);
      if (input.format !== "canonical" && !adapter.capabilities.formats.includes(input.format)) {
        return unsupported(
          marketplace,
          `marketplace ${marketplace} takes ${adapter.capabilities.formats.join(" or ").toUpperCase()} payloads`,
        );
      }
      parsed = parsePayloadInput(engine, marketplace, input);
    } catch (error) {
      if (!isPayloadError(error)) {
        // The adapter broke its contract on this payload: keep the event; processing dead-letters it for replay after a fix.
        logger.error({ integrationId: integration.id, marketplace, err: error }, "adapter failed while validating a delivery");
        const noOrders = { orderKey: null, orderKeys: [] };
        return accept({ ...delivery, format: input?.format ?? format, parsed: null }, noOrders, marketplace, request.retry);
      }
      // A host's canonical cancellation for this marketplace that missed a line's reason key? Whatever
      // field the adapter's error names: eBay's named its own `cancelStatus`, not `lines[0].reason`.
      const nearMiss = input?.format === "json" && canCarryCanonical ? canonicalNearMiss(text, marketplace) : undefined;
      return reject(nearMiss ?? error);
    }
    const stored = storeParse(adapter, parsed);
    // Serialized, a NUL is the escape \u0000: the walk runs only for the rare body that has one.
    if (stored.includes("\\u0000")) {
      const found = nulPath(parsed);
      if (found) {
        // A canonical cancellation is the result's one cancellation: name the field as the body has it.
        const field = formatPath(input.format === "canonical" && found[0] === "cancellations" ? found.slice(2) : found);
        return reject(new PayloadError("holds a NUL character (U+0000), which is not stored", field));
      }
    }
    const orders = ordersOf(parsed);
    return accept({ ...delivery, format: input.format, parsed: stored }, orders, marketplace, request.retry);
  }

  // Before the body: anyone could hold a 1 MiB buffer per connection, for 30 s, on an integration id
  // that does not exist or without its token (answered only once the whole body had come).
  async function admitWebhook(integrationId: string, webhook: Omit<WebhookRequest, "rawBody">): Promise<IntakeResult | undefined> {
    // A look-up that fails is answered here (503): made again in receive, it waited out its time limit twice.
    const integration = await findIntegration(integrationId);
    if ("status" in integration) return integration;
    const adapter = engine.adapterFor(integration.marketplace);
    if (!adapter) return undefined;
    const secret = integration.webhookSecret;
    // Without a secret every webhook is refused, signed or not. An adapter's own check may sign the
    // body; core's shared secret is in a header or the URL.
    if (secret !== null) {
      if (adapter.verifyWebhook !== undefined && adapter.verifyWebhook !== verifySharedSecret) return undefined;
      if (verifySharedSecret({ ...webhook, rawBody: EMPTY_BODY }, secret)) return undefined;
    }
    metrics.eventsRejected.inc({ marketplace: integration.marketplace, reason: "unauthorized" });
    return { status: 401, error: "webhook authentication failed" };
  }

  // Only `true` lets a delivery in. An adapter's check written `async` returns a Promise, which is
  // truthy: every delivery, unsigned ones too, was accepted. One that throws (a header it expected is
  // missing) made a 500, which marketplaces retry for ever; it is a failed check, 401.
  function isAuthentic(verify: () => unknown, marketplace: string): boolean {
    let verdict: unknown;
    try {
      verdict = verify();
    } catch (error) {
      logger.warn({ marketplace, err: error }, "the adapter's verifyWebhook threw; the delivery is refused (401)");
      return false;
    }
    if (verdict !== null && typeof verdict === "object" && typeof (verdict as { then?: unknown }).then === "function") {
      logger.error(
        { marketplace },
        "the adapter's verifyWebhook returned a Promise: it must return true or false synchronously; every delivery is refused (401)",
      );
      return false;
    }
    return verdict === true;
  }

  // Nothing was stored (the database is down, its disk full, its write lock held past the timeout):
  // 503 says "deliver it again", as marketplaces do. The cause goes to the log, not to the sender.
  // Any other store error (a missing privilege, a bug) is thrown on: a 500 that retrying will not mend.
  function storeUnavailable(marketplace: string, error: unknown): IntakeResult {
    if (!isStoreUnavailable(error)) throw error;
    metrics.eventsRejected.inc({ marketplace, reason: "store_unavailable" });
    unstored.failed(error);
    return { status: 503, error: "the delivery could not be stored now: deliver it again later" };
  }

  function unsupported(marketplace: string, error: string): IntakeResult {
    metrics.eventsRejected.inc({ marketplace, reason: "unsupported_media_type" });
    return { status: 415, error };
  }

  async function accept(
    event: Omit<NewEvent, "bodyHash" | "orderKey" | "orderKeys">,
    { orderKey, orderKeys }: ReturnType<typeof ordersOf>,
    marketplace: string,
    retry = false,
  ): Promise<IntakeResult> {
    const bodyHash = createHash("sha256").update(event.body).digest("base64url");
    let eventId: number;
    try {
      eventId = await commits.addEvent({ ...event, bodyHash, orderKey, orderKeys });
    } catch (error) {
      return storeUnavailable(marketplace, error);
    }
    metrics.eventsReceived.inc({ marketplace, source: retry ? "retry" : event.source });
    unstored.worked();
    return { status: 202, eventId };
  }

  return { receive, admitWebhook };
}

/** Intake's outage log: deliveries the store could not take, answered 503. */
export function createUnstoredLog(logger: Logger, windowMs?: number, now?: () => number): OutageLog {
  const messages = {
    first: "a delivery could not be stored; it was answered 503",
    more: (n: number, cause: string) => `${n} more deliveries could not be stored and were answered 503; the last cause: ${cause}`,
    recovered: "deliveries are stored again",
  };
  return createOutageLog(logger, messages, windowMs, now);
}
