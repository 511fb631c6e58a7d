import type { FastifyInstance } from "fastify";
import type { LoadedAdapter } from "../adapters/load-adapters.js";
import type { Logger } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { createOutageLog } from "../ops/outage-log.js";
import { readInTime } from "../ops/store-read.js";
import type { Store } from "../store/store.js";

/** Health, readiness and metrics: unauthenticated, for the platform's probes and Prometheus. */
export function opsRoutes(store: Store, metrics: Metrics, notReady: () => "starting" | "stopping" | undefined, logger: Logger) {
  // Probed every few seconds: a warning with its stack per probe flooded the log while the database was down.
  const unready = createOutageLog(logger, {
    level: "warn",
    first: "readiness check: the database does not answer, or takes no writes",
    more: (n, cause) => `${n} more readiness checks failed: the database does not answer, or takes no writes; the last cause: ${cause}`,
    recovered: "readiness check: the database answers and takes writes again",
  });
  return async (app: FastifyInstance) => {
    app.get("/healthz", async () => ({ status: "ok" }));

    app.get("/readyz", async (_request, reply) => {
      const status = notReady();
      if (status) return reply.code(503).send({ status });
      try {
        // In time: a database cut off on the network left the probe without an answer for minutes.
        await readInTime(() => store.ping());
      } catch (error) {
        // Unauthenticated: the cause (a host and port, a file path) goes to the log only.
        unready.failed(error);
        return reply.code(503).send({ status: "database unavailable" });
      }
      unready.worked();
      return { status: "ready" };
    });

    app.get("/metrics", async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    });
  };
}

/** What is loaded, with versions (behind the API token with the rest of /v1). */
export function adapterRoutes(adapters: readonly LoadedAdapter[], fallbackId: string | undefined) {
  return async (app: FastifyInstance) => {
    app.get("/v1/adapters", async () => ({
      adapters: adapters.map(({ source, adapter }) => ({
        id: adapter.id,
        displayName: adapter.displayName,
        package: source,
        version: adapter.version,
        contractVersion: adapter.contractVersion,
        formats: adapter.capabilities.formats,
        // What the worker checks: an adapter without verifyWebhook (its capability then says
        // "none") has its deliveries checked against the integration's shared secret.
        webhookAuth: adapter.verifyWebhook ? adapter.capabilities.webhookAuth : "shared-secret",
        reasonCodes: adapter.reasons.length,
        fallback: adapter.id === fallbackId,
      })),
    }));
  };
}
