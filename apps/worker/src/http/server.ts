import { STATUS_CODES } from "node:http";
import fastifyCookie from "@fastify/cookie";
import type { Engine } from "@restock/core";
import Fastify, {
  errorCodes,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { LoadedAdapter } from "../adapters/load-adapters.js";
import { repeatedKeyProblem } from "../config/repeated-key.js";
import { FALLBACK_ADAPTER_ID, type WorkerConfig } from "../config/schema.js";
import { consolePlugin, sendConsoleAddressError } from "../console/plugin.js";
import { acceptedContentTypes } from "../intake/body-format.js";
import type { Intake } from "../intake/intake.js";
import { type Logger, requestSerializer } from "../ops/logger.js";
import type { Metrics } from "../ops/metrics.js";
import { SettingsError, type SettingsService } from "../settings/settings-service.js";
import { IntegrationConflict, type Store } from "../store/store.js";
import { createAdminAccess } from "./admin-access.js";
import { bearerAuth } from "./bearer-auth.js";
import { refusalCounter } from "./count-refusal.js";
import { decisionRoutes } from "./decision-routes.js";
import { eventRoutes } from "./event-routes.js";
import { CANCELLATIONS_ROUTE, intakeRoutes, WEBHOOK_ROUTE } from "./intake-routes.js";
import { integrationRoutes } from "./integration-routes.js";
import { ledgerRoutes } from "./ledger-routes.js";
import { adapterRoutes, opsRoutes } from "./ops-routes.js";
import { sinkRoutes } from "./sink-routes.js";
import { zodValidatorCompiler } from "./zod-validation.js";

export interface HttpDeps {
  config: WorkerConfig;
  logger: Logger;
  store: Store;
  engine: Engine;
  adapters: readonly LoadedAdapter[];
  intake: Intake;
  settings: SettingsService;
  metrics: Metrics;
  /** Why the worker takes no traffic now ("starting", "stopping"), or undefined when it does. */
  notReady: () => "starting" | "stopping" | undefined;
}

const INTAKE_ROUTES = new Set([WEBHOOK_ROUTE, CANCELLATIONS_ROUTE]);

/** The longest path segment routed (an integration id, an event id). */
const MAX_PARAM_LENGTH = 512;

/** How long a request may take to arrive, headers and body (Node's requestTimeout and headersTimeout). */
export const REQUEST_TIMEOUT_MS = 30_000;

/** The Fastify app: thin routes over intake, settings, audit and the ledger. */
export function createHttpServer(deps: HttpDeps): FastifyInstance {
  const { config, store, intake, settings, metrics } = deps;
  const countRefusal = refusalCounter(settings.lookup, metrics);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !config.accessLog }),
    bodyLimit: config.bodyLimit,
    // Integration ids may be 128 characters (IntegrationId); Fastify's default of 100 answered 414
    // to every webhook of a longer one, and nothing was kept. Room beyond 128, so that a slightly
    // longer id is refused by the id rule (400 naming it), not as a long URL.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Marketplaces retry slow deliveries: keep connections bounded rather than hanging. Given to
    // Node's server when it is made: set afterwards (Fastify's requestTimeout), it left Node's
    // headersTimeout at 60 s and its 30 s check, and a body that stopped coming held its connection
    // and buffer for 75-88 s. Now 30-35 s.
    http: { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 5_000 },
    requestTimeout: REQUEST_TIMEOUT_MS,
    // A URL that is not valid percent-encoding: Fastify's own 400 quoted the whole URL, so a
    // shared-secret webhook URL with a typo sent its ?token= back (as the 404 handler below avoids).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // Under /console a person reads the answer: a page, as the console's own errors are.
      const forConsole = /^\/console(\/|\?|$)/.test(request.url);
      if (error.code === "FST_ERR_BAD_URL") {
        const message = "the URL's path is not valid percent-encoding";
        if (forConsole) return sendConsoleAddressError(reply, 400, `The address's path is not valid percent-encoding.`);
        return reply.code(400).send({ statusCode: 400, error: "Bad Request", message });
      }
      // A path segment over maxParamLength: Fastify's 414 quoted the whole path back, and logged it
      // with a stack for every such request (up to ~16 KB a line).
      if (error.code === "FST_ERR_MAX_PARAM_LENGTH") {
        const message = `a path segment is longer than ${MAX_PARAM_LENGTH} characters`;
        if (forConsole) return sendConsoleAddressError(reply, 414, `A part of the address is longer than ${MAX_PARAM_LENGTH} characters.`);
        return reply.code(414).send({ statusCode: 414, error: "URI Too Long", message });
      }
      return reply.send(error);
    },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  // Fastify's own 404 logged and echoed the whole URL: a shared-secret webhook URL with a typo (a
  // trailing slash) put its ?token= in the log on every delivery, and sent it back. The path only.
  app.setNotFoundHandler((request, reply) => {
    const { path } = requestSerializer(request);
    return reply.code(404).send({ statusCode: 404, error: "Not Found", message: `Route ${request.method}:${path} not found` });
  });
  app.setErrorHandler((error: FastifyError & { field?: string | null }, request, reply) => {
    if (error.validation || error.code === "FST_ERR_VALIDATION") {
      return reply.code(400).send({ statusCode: 400, error: "Bad Request", message: error.message, field: error.field ?? null });
    }
    if (error instanceof SettingsError) {
      return reply.code(400).send({
        statusCode: 400,
        error: "Bad Request",
        message: `${error.field ? `${error.field}: ` : ""}${error.message}`,
        field: error.field,
      });
    }
    if (error instanceof IntegrationConflict) {
      return reply.code(409).send({ statusCode: 409, error: "Conflict", message: `${error.message}: send it again` });
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      // Fastify's own message ("Unsupported Media Type") named neither the header nor what is taken.
      const intakeRoute = INTAKE_ROUTES.has(request.routeOptions.url ?? "");
      const accepted = intakeRoute ? acceptedContentTypes.join(", ") : "application/json";
      if (intakeRoute) countRefusal(request, "unsupported_media_type");
      const sent = request.headers["content-type"];
      return reply.code(415).send({
        statusCode: 415,
        error: "Unsupported Media Type",
        message: `${sent ? `content-type "${sent}" is not accepted` : "the request has no content-type"}: send ${accepted}`,
        field: "content-type",
      });
    }
    const status = error.statusCode ?? 500;
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE" && INTAKE_ROUTES.has(request.routeOptions.url ?? "")) {
      countRefusal(request, "payload_too_large");
    }
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      // A route may have typed its reply already (the CSV export: text/csv, as an attachment): the
      // error is JSON, not a decisions.csv download holding Fastify's serialization error.
      reply.removeHeader("content-disposition").type("application/json; charset=utf-8");
      return reply.code(status).send({ statusCode: status, error: "Internal Server Error", message: "internal error" });
    }
    return reply
      .code(status)
      .send({ statusCode: status, error: STATUS_CODES[status] ?? "Error", message: error.message, code: error.code });
  });

  // One permission check for the /v1 API and the console; cookies are parsed (and signed) for both,
  // in their scopes only: webhooks and the host's cancellations never carry a session, and the
  // plugin's hooks ran on every delivery. Signed-out sessions are kept in the store, which every
  // worker process on the database shares.
  const access = createAdminAccess({ apiToken: config.apiToken, sessionSecret: config.sessionSecret, sessions: store });
  const cookies = { secret: access.signer };
  app.register(opsRoutes(store, metrics, deps.notReady, deps.logger));
  app.register(intakeRoutes(intake, access, countRefusal));
  app.register(async (console) => {
    await console.register(fastifyCookie, cookies);
    await console.register(
      consolePlugin({
        access,
        store,
        engine: deps.engine,
        settings,
        intake,
        secureCookies: config.secureCookies,
        bodyLimit: config.bodyLimit,
      }),
      {
        prefix: "/console",
      },
    );
  });
  app.register(async (api) => {
    await api.register(fastifyCookie, cookies);
    api.addHook("onRequest", bearerAuth(access));
    // Every /v1 body is JSON: a text/plain one gets 415 naming its type, not a schema error on a
    // string. An empty one is no body (fetch sends `POST` with body "" as text/plain).
    api.removeContentTypeParser("text/plain");
    api.addContentTypeParser("text/plain", { parseAs: "string" }, (request, body, done) => {
      if (body === "") done(null, undefined);
      else done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers["content-type"] ?? "text/plain"), undefined);
    });
    // A JSON body with one key twice in an object (Fastify's parser keeps the last value) is refused:
    // a settings record saying both false and true would be taken as true.
    const parseJson = api.getDefaultJsonParser("error", "error");
    api.removeContentTypeParser("application/json");
    api.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
      parseJson(request, body as string, (error: Error | null, value?: unknown) => {
        const repeated = error ? undefined : repeatedKeyProblem(body as string);
        if (repeated) done(Object.assign(new Error(`body: ${repeated}`), { statusCode: 400 }), undefined);
        else done(error, value);
      });
    });
    const fallbackId = deps.engine.adapters.has(FALLBACK_ADAPTER_ID) ? FALLBACK_ADAPTER_ID : undefined;
    await api.register(adapterRoutes(deps.adapters, fallbackId));
    await api.register(integrationRoutes(settings));
    await api.register(decisionRoutes(store));
    await api.register(eventRoutes(store, intake));
    await api.register(ledgerRoutes(store));
    await api.register(sinkRoutes(store));
  });
  return app;
}
