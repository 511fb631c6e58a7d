import type { FastifyReply, FastifyRequest } from "fastify";
import { bearerToken, SESSION_COOKIE } from "../http/admin-access.js";

/**
 * Whose forms a CSRF token is for: the session cookie as sent ("signed out" before signing in:
 * @fastify/csrf refuses an empty one). A token is
 * then good only next to the session it was made for: someone able to set cookies for the
 * console's site (a sibling subdomain, a network on plain HTTP) could otherwise take a cookie and
 * token pair from the public sign-in page and have a signed-in admin's browser send a change with it.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  const header = request.headers.authorization;
  // A console reached with a bearer token (a proxy adding it) is bound to that header, as the
  // permission check (admin-access.ts) lets it decide whatever cookies come with it: a session
  // cookie of an attacker's choosing beside it made the attacker's token pair good.
  if (header !== undefined && bearerToken(request) !== undefined) return header;
  return request.cookies?.[SESSION_COOKIE] || header || "signed out";
}

/** A CSRF token for the page being answered, bound to the request's session. */
export const csrfToken = (reply: FastifyReply): string => reply.generateCsrf({ userInfo: csrfUserInfo(reply.request) });
