import type { Metrics } from "../ops/metrics.js";
import { IntegrationId } from "../settings/integration.js";
import type { SettingsService } from "../settings/settings-service.js";

/** Why Fastify (not intake) refused a delivery on an intake route, as restock_events_rejected_total's reason. */
export type RefusalReason = "unsupported_media_type" | "payload_too_large";

/** Counts a delivery refused on an intake route before intake saw it (the request's route params name the integration). */
export type CountRefusal = (request: { params: unknown }, reason: RefusalReason) => void;

/**
 * Deliveries Fastify refuses on the intake routes (a content type or a content encoding not taken:
 * 415; a body over bodyLimit: 413) never reach intake, which counts every other refusal: counted
 * here, by the integration's marketplace when the settings service's cached look-up knows it, else
 * "unknown". The answer does not wait for the look-up: the count follows it.
 */
export function refusalCounter(lookup: SettingsService["lookup"], metrics: Metrics): CountRefusal {
  return (request, reason) => {
    const count = (marketplace: string) => metrics.eventsRejected.inc({ marketplace, reason });
    const id = IntegrationId.safeParse((request.params as { integrationId?: unknown } | undefined)?.integrationId);
    if (!id.success) return count("unknown");
    lookup(id.data).then(
      (integration) => count(integration?.marketplace ?? "unknown"),
      () => count("unknown"),
    );
  };
}
