import { createHmac } from "node:crypto";
import { Signer } from "@fastify/cookie";
import { safeEqual } from "@restock/core";
import type { FastifyRequest } from "fastify";

/** The admin console's session cookie: `<expiresAt>.<token tag>`, signed with the session secret. */
export const SESSION_COOKIE = "restock_session";
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export type Access =
  | { ok: true; via: "bearer" | "session" }
  | {
      ok: false;
      /** disabled: no apiToken is configured; missing: no credential; invalid: a wrong token or a forged cookie; expired: an old session. */
      reason: "disabled" | "missing" | "invalid" | "expired";
    };

export interface AdminAccess {
  /** Whether an admin token is configured at all (without one, the API and the console refuse everyone). */
  readonly enabled: boolean;
  /** Signs the console's cookies (session and CSRF secret): @fastify/cookie's `secret`. */
  readonly signer: Signer;
  /** The key of the console's CSRF tokens, which are bound to the session they were made for (consoleCsrf). */
  readonly csrfKey: string;
  /**
   * THE permission check of the worker's admin surface, used by the /v1 API hook and the console:
   * `Authorization: Bearer <apiToken>`, or else a console session cookie issued after signing in
   * with that token. A bearer header, when present, decides alone.
   */
  authorize(request: FastifyRequest, now?: number): Access;
  /** Whether a token typed on the sign-in page is the admin token. */
  isAdminToken(token: string): boolean;
  /** A signed session cookie value for a successful sign-in. */
  issueSession(now?: number): string;
}

export interface AdminAccessOptions {
  apiToken?: string | undefined;
  sessionSecret?: string | undefined;
}

/**
 * The token of a bearer `Authorization` header, which decides a request's access alone (whatever
 * cookies come with it). The scheme name is case-insensitive (RFC 9110 §11.1). Only a bearer token
 * decides alone: a browser behind a proxy with HTTP Basic auth sends its Basic credentials with
 * every request, and the session cookie was never read (sign-in looped).
 */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header !== undefined && /^bearer /i.test(header) ? header.slice(7) : undefined;
}

export function createAdminAccess({ apiToken, sessionSecret }: AdminAccessOptions): AdminAccess {
  // Without a configured secret the key is derived from the token: every worker process agrees on it, and rotating the token ends sessions.
  const key =
    sessionSecret ??
    createHmac("sha256", apiToken ?? "restock: no api token")
      .update("restock console cookies")
      .digest("base64url");
  const signer = new Signer(key);
  // Binds a session to the token it was issued for, without putting the token in the cookie.
  const tokenTag = apiToken === undefined ? "" : createHmac("sha256", key).update(`session:${apiToken}`).digest("base64url").slice(0, 22);

  function isAdminToken(token: string): boolean {
    return apiToken !== undefined && safeEqual(token, apiToken);
  }

  function checkSession(cookie: string, now: number): Access {
    const unsigned = signer.unsign(cookie);
    if (!unsigned.valid || unsigned.value === null) return { ok: false, reason: "invalid" };
    const [expires, tag] = unsigned.value.split(".");
    if (tag === undefined || !safeEqual(tag, tokenTag)) return { ok: false, reason: "invalid" };
    if (!(Number(expires) > now)) return { ok: false, reason: "expired" };
    return { ok: true, via: "session" };
  }

  function authorize(request: FastifyRequest, now = Date.now()): Access {
    if (apiToken === undefined) return { ok: false, reason: "disabled" };
    const token = bearerToken(request);
    if (token !== undefined) return isAdminToken(token) ? { ok: true, via: "bearer" } : { ok: false, reason: "invalid" };
    // Parsed by @fastify/cookie, registered on the whole server with this signer.
    const cookie = request.cookies?.[SESSION_COOKIE];
    return cookie === undefined ? { ok: false, reason: "missing" } : checkSession(cookie, now);
  }

  return {
    enabled: apiToken !== undefined,
    signer,
    csrfKey: createHmac("sha256", key).update("restock console csrf").digest("base64url"),
    authorize,
    isAdminToken,
    issueSession: (now = Date.now()) => signer.sign(`${now + SESSION_TTL_MS}.${tokenTag}`),
  };
}
