import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { type AdminAccess, SESSION_COOKIE, SESSION_TTL_MS } from "../../http/admin-access.js";
import { RETRY_AFTER_SECONDS } from "../../http/send-intake-result.js";
import { isStoreUnavailable } from "../../store/store-unavailable.js";
import { csrfToken } from "../csrf-token.js";
import { safeNext } from "../guard.js";
import type { CookieSecurity } from "../plugin.js";
import { sendPage } from "../render.js";
import { MessagePage } from "../views/message-page.js";
import { SignInPage } from "../views/sign-in-page.js";

const NOT_SIGNED_OUT = (
  <MessagePage
    title="You are not signed out yet"
    message="The worker's database is not answering, so signing out could not be recorded and this session still works. Go back and sign out again in a moment."
    link={{ href: "/console/integrations", label: "Back to the console" }}
  />
);

const SignInForm = z.object({ token: z.string().default(""), next: z.string().optional() });

const DISABLED = (
  <MessagePage
    title="The console is disabled"
    message="This worker has no admin token configured, so nobody can sign in. Start it with RESTOCK_API_TOKEN (or apiToken in its config file) set."
    link={{ href: "/console/sign-in", label: "Reload" }}
  />
);

/** Sign in with the admin token (a signed, HttpOnly, SameSite=Strict session cookie) and sign out. */
export function signInPages(access: AdminAccess, secure: CookieSecurity) {
  return async (app: FastifyInstance) => {
    app.get("/sign-in", async (request, reply) => {
      if (!access.enabled) return sendPage(reply, DISABLED, 503);
      const query = request.query as Record<string, unknown>;
      const next = safeNext(query.next);
      // A signed-out (revoked) session is no session here either: sent on to `next`, it would come straight back here.
      if ((await access.authorize(request)).ok) return reply.redirect(next, 303);
      const notice =
        query["signed-out"] !== undefined
          ? "You are signed out."
          : query.expired !== undefined
            ? "Your session expired. Sign in again to continue."
            : undefined;
      return sendPage(reply, <SignInPage csrf={csrfToken(reply)} next={next} notice={notice} />);
    });

    // Signed in meanwhile (in another tab): on to `next`, as the sign-in page itself does. The form's
    // CSRF token was made before there was a session, so checking it answered 403 "This form was refused".
    const signedInAlready = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!access.enabled || !(await access.authorize(request)).ok) return;
      const form = SignInForm.safeParse(request.body ?? {});
      return reply.redirect(safeNext(form.success ? form.data.next : undefined), 303);
    };

    app.post("/sign-in", { preHandler: [signedInAlready, app.csrfProtection] }, async (request, reply) => {
      if (!access.enabled) return sendPage(reply, DISABLED, 503);
      const form = SignInForm.safeParse(request.body ?? {});
      const next = safeNext(form.success ? form.data.next : undefined);
      if (!form.success || !access.isAdminToken(form.data.token)) {
        const error =
          "That is not this worker's admin token. Check the token the worker was started with (RESTOCK_API_TOKEN) and try again.";
        return sendPage(reply, <SignInPage csrf={csrfToken(reply)} next={next} error={error} />, 401);
      }
      reply.setCookie(SESSION_COOKIE, access.issueSession(), {
        path: "/",
        httpOnly: true,
        sameSite: "strict",
        secure,
        maxAge: SESSION_TTL_MS / 1000,
      });
      return reply.redirect(next, 303);
    });

    // Signed out already (in another tab, or the session expired): nothing to end, so no form to
    // check; its CSRF token was bound to the session that is gone, and the 403 "This form was refused,
    // nothing was changed" read as if signing out had failed.
    const signedOutAlready = async (request: FastifyRequest, reply: FastifyReply) => {
      const session = await access.authorize(request);
      if (session.ok || session.reason === "unavailable") return;
      reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "strict", secure });
      return reply.redirect("/console/sign-in?signed-out=1", 303);
    };

    // Ends the session for real: its id is recorded as revoked in the database, so a copy of the
    // cookie (a shared machine, a proxy's log) is refused by every worker process from now on, not
    // only until it expires. Not recorded (the database does not answer): the cookie stays, and the
    // page says to try again, rather than look signed out while a copy still works.
    app.post("/sign-out", { preHandler: [signedOutAlready, app.csrfProtection] }, async (request, reply) => {
      try {
        await access.endSession(request);
      } catch (error) {
        if (!isStoreUnavailable(error)) throw error;
        request.log.warn({ err: error }, "sign-out could not be recorded: the database does not answer");
        reply.header("retry-after", RETRY_AFTER_SECONDS);
        return sendPage(reply, NOT_SIGNED_OUT, 503);
      }
      reply.clearCookie(SESSION_COOKIE, { path: "/", httpOnly: true, sameSite: "strict", secure });
      return reply.redirect("/console/sign-in?signed-out=1", 303);
    });
  };
}
