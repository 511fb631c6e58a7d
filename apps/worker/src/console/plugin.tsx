import fastifyCsrf from "@fastify/csrf-protection";
import fastifyFormbody from "@fastify/formbody";
import type { Engine } from "@restock/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AdminAccess } from "../http/admin-access.js";
import type { Intake } from "../intake/intake.js";
import type { SettingsService } from "../settings/settings-service.js";
import type { Store } from "../store/store.js";
import { csrfToken, csrfUserInfo } from "./csrf-token.js";
import { requireSignedIn } from "./guard.js";
import { sendPage } from "./render.js";
import { deadLetterPages } from "./routes/dead-letter-pages.js";
import { decisionPages } from "./routes/decision-pages.js";
import { integrationPages } from "./routes/integration-pages.js";
import { signInPages } from "./routes/sign-in-pages.js";
import { sinkPages } from "./routes/sink-pages.js";
import { tryPages } from "./routes/try-pages.js";
import { readStylesheet } from "./stylesheet.js";
import { MessagePage } from "./views/message-page.js";

export interface ConsoleDeps {
  access: AdminAccess;
  store: Store;
  engine: Engine;
  settings: SettingsService;
  intake: Intake;
  /** Secure cookies on every request (TLS ends at a proxy); otherwise only on requests that came over https. */
  secureCookies: boolean;
  /** The worker's body limit (bodyLimit): a payload that intake takes can be tried. */
  bodyLimit: number;
}

export type CookieSecurity = true | "auto";

/**
 * An address under /console the router refused before any console route ran (a path that is not
 * valid percent-encoding, a segment over the length limit): a page, as the console's own 404 is,
 * not the API's JSON. Called from the server's frameworkErrors.
 */
export function sendConsoleAddressError(reply: FastifyReply, status: 400 | 414, problem: string) {
  return sendPage(
    reply,
    <MessagePage
      title="This address is not valid"
      message={problem}
      link={{ href: "/console/integrations", label: "Go to Integrations" }}
    />,
    status,
  );
}

/**
 * The admin console: server-rendered pages under /console for sellers and support staff.
 * Register with `{ prefix: "/console" }`. Needs @fastify/cookie on the server, signed with access.signer.
 */
export function consolePlugin(deps: ConsoleDeps) {
  const secure: CookieSecurity = deps.secureCookies ? true : "auto";
  const stylesheet = readStylesheet();
  return async (app: FastifyInstance) => {
    await app.register(fastifyFormbody);
    await app.register(fastifyCsrf, {
      cookieKey: "restock_csrf",
      cookieOpts: { path: "/console", sameSite: "strict", httpOnly: true, signed: true, secure },
      // Only the form field: the console has no script that could send a header.
      getToken: (request) => (request.body as { _csrf?: unknown } | undefined)?._csrf as string | undefined,
      getUserInfo: csrfUserInfo,
      csrfOpts: { hmacKey: deps.access.csrfKey },
    });
    app.setErrorHandler(consoleError);
    // Signed in, the page keeps the console's navigation and Sign out, as every other page does.
    app.setNotFoundHandler(async (request, reply) => {
      const signedIn = (await deps.access.authorize(request)).ok;
      return sendPage(
        reply,
        <MessagePage
          title="Page not found"
          message="There is no console page at this address."
          link={{ href: "/console/integrations", label: "Go to Integrations" }}
          csrf={signedIn ? csrfToken(reply) : undefined}
        />,
        404,
      );
    });

    app.get("/", (_request, reply) => reply.redirect("/console/integrations", 303));
    app.get("/assets/console.css", (_request, reply) =>
      reply.type("text/css; charset=utf-8").header("cache-control", "public, max-age=300").send(stylesheet),
    );
    await app.register(signInPages(deps.access, secure));
    await app.register(async (pages) => {
      pages.addHook("onRequest", requireSignedIn(deps.access));
      await pages.register(integrationPages(deps));
      await pages.register(decisionPages(deps));
      await pages.register(deadLetterPages(deps));
      await pages.register(sinkPages(deps));
      await pages.register(tryPages(deps));
    });
  };
}

function consoleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === "FST_CSRF_INVALID_TOKEN" || error.code === "FST_CSRF_MISSING_SECRET") {
    return sendPage(
      reply,
      <MessagePage
        title="This form was refused"
        message="The form did not carry this console's security token, or the token has expired, so nothing was changed. This check stops other websites from sending forms in your name. Go back, reload the page and send the form again."
        link={{ href: backTo(request), label: "Back to the page" }}
      />,
      403,
    );
  }
  const status = error.statusCode ?? 500;
  if (status >= 500) {
    request.log.error({ err: error }, "console request failed");
    return sendPage(
      reply,
      <MessagePage
        title="Something went wrong"
        message="The worker could not complete this request. It has been logged; try again in a moment."
        link={{ href: "/console/integrations", label: "Go to Integrations" }}
      />,
      status,
    );
  }
  return sendPage(
    reply,
    <MessagePage
      title="The request could not be used"
      message={status === 413 ? "What you sent is larger than this worker accepts." : error.message}
      link={{ href: backTo(request), label: "Back to the page" }}
    />,
    status,
  );
}

/** The console page a refused form came from (same origin only), for the way back. */
function backTo(request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === request.host && url.pathname.startsWith("/console/")) return url.pathname + url.search;
    } catch {
      // Not a URL: use the default.
    }
  }
  return request.url.startsWith("/console/") && request.method === "GET" ? request.url : "/console/integrations";
}
