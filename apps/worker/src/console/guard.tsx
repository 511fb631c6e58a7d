import type { FastifyReply, FastifyRequest } from "fastify";
import type { AdminAccess } from "../http/admin-access.js";
import { RETRY_AFTER_SECONDS } from "../http/send-intake-result.js";
import { sendPage } from "./render.js";
import { MessagePage } from "./views/message-page.js";

/**
 * onRequest hook for the console's pages: the admin permission check the /v1 API uses
 * (AdminAccess.authorize). A page asked for without a session opens the sign-in page and
 * comes back afterwards; a form sent without one is refused and says so. A signed-out session
 * (revoked in the database) is no session; one that cannot be checked because the database does not
 * answer gets a 503 page, and nothing is shown or changed.
 */
export function requireSignedIn(access: AdminAccess) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await access.authorize(request);
    if (result.ok) return;
    if (result.reason === "unavailable") {
      request.log.warn({ err: result.error }, "a console session could not be checked: the database does not answer");
      reply.header("retry-after", RETRY_AFTER_SECONDS);
      return sendPage(
        reply,
        <MessagePage
          title="The console cannot check your session"
          message="The worker's database is not answering, so your session could not be checked and nothing was shown or changed. Try again in a moment."
          link={{ href: request.method === "GET" ? safeNext(request.url) : "/console/integrations", label: "Try again" }}
        />,
        503,
      );
    }
    if (request.method === "GET" || request.method === "HEAD") {
      const query = new URLSearchParams({ next: request.url });
      if (result.reason === "expired") query.set("expired", "1");
      return reply.redirect(`/console/sign-in?${query}`, 303);
    }
    return sendPage(
      reply,
      <MessagePage
        title="Please sign in again"
        message="Your session has ended or you are not signed in, so nothing was changed. Sign in, then repeat what you were doing."
        link={{ href: signInBackTo(request.headers.referer), label: "Sign in" }}
      />,
      401,
    );
  };
}

/**
 * The sign-in page, coming back to the console page the refused form was sent from (its Referer):
 * it led to the integrations list, and the operator had to find their page again. Only the path is
 * taken, and only when safeNext takes it.
 */
function signInBackTo(referer: string | undefined): string {
  let from: URL;
  try {
    from = new URL(referer ?? "");
  } catch {
    return "/console/sign-in";
  }
  const next = safeNext(`${from.pathname}${from.search}`);
  return next === FALLBACK ? "/console/sign-in" : `/console/sign-in?${new URLSearchParams({ next })}`;
}

const FALLBACK = "/console/integrations";
/** How many rounds of percent-decoding are looked through (a `next` is encoded once; more is an attack). */
const DECODE_ROUNDS = 3;

/**
 * A console path to return to after signing in (requireSignedIn passes the request's raw URL);
 * anything else becomes the integrations page. Followed only when it is a path under /console:
 * printable ASCII (no CR/LF or other control characters, nothing a Location header refuses),
 * and its path, however often percent-decoded, has no `.` or `..` segment, no `//` and no backslash,
 * so no browser or proxy can resolve it to another page (`/console/..%2f..%2fv1`) or another host.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > 2048 || !/^[\x21-\x7e]+$/.test(next)) return FALLBACK;
  if (!/^\/console(\/|\?|$)/.test(next) || next.includes("\\") || next.includes("#")) return FALLBACK;
  const query = next.indexOf("?");
  let path = query === -1 ? next : next.slice(0, query);
  for (let round = 0; ; round++) {
    if (/[\\\p{Cc}]/u.test(path) || path.includes("//")) return FALLBACK;
    if (path.split("/").some((segment) => segment === "." || segment === "..")) return FALLBACK;
    if (!path.includes("%")) return next;
    if (round === DECODE_ROUNDS) return FALLBACK;
    try {
      path = decodeURIComponent(path);
    } catch {
      return FALLBACK;
    }
  }
}
