import type { FastifyReply, FastifyRequest } from "fastify";
import type { AdminAccess } from "../http/admin-access.js";
import { sendPage } from "./render.js";
import { MessagePage } from "./views/message-page.js";

/**
 * onRequest hook for the console's pages: the admin permission check the /v1 API uses
 * (AdminAccess.authorize). A page asked for without a session opens the sign-in page and
 * comes back afterwards; a form sent without one is refused and says so.
 */
export function requireSignedIn(access: AdminAccess) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = access.authorize(request);
    if (result.ok) return;
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
        link={{ href: "/console/sign-in", label: "Sign in" }}
      />,
      401,
    );
  };
}

/** A console path to return to after signing in; anything else (another site, the API) becomes the integrations page. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || !/^\/console(\/|\?|$)/.test(next) || next.includes("\\")) return "/console/integrations";
  return next;
}
