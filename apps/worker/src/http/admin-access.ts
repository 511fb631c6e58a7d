import { createHmac, randomBytes } from "node:crypto";
import { Signer } from "@fastify/cookie";
import { safeEqual } from "@restock/core";
import type { FastifyRequest } from "fastify";
import type { Store } from "../store/store.js";
import { isStoreUnavailable } from "../store/store-unavailable.js";

/**
 * The admin console's session cookie: `<expiresAt>.<session id>.<token tag>`, signed with the
 * session secret. The id (random) is what signing out revokes, in the database, for every worker
 * process sharing it. Cookies of the format before ids (`<expiresAt>.<token tag>`) are taken as expired.
 */
export const SESSION_COOKIE = "restock_session";
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** A console session as its cookie carries it (signature and token tag checked). */
export interface Session {
  id: string;
  expiresAt: number;
}

/** Where signed-out sessions are recorded: the store, shared by every worker process on the database. */
export type SessionRevocations = Pick<Store, "revokeSession" | "isSessionRevoked">;

export type Access =
  | { ok: true; via: "bearer" }
  | { ok: true; via: "session"; session: Session }
  | {
      ok: false;
      /**
       * disabled: no apiToken is configured; missing: no credential; invalid: a wrong token or a
       * forged cookie; expired: an old session (or a cookie of the format before session ids);
       * revoked: a session that was signed out.
       */
      reason: "disabled" | "missing" | "invalid" | "expired" | "revoked";
    }
  /** A session cookie that could not be checked against the signed-out sessions: the database is down or busy (answer 503). */
  | { ok: false; reason: "unavailable"; error: unknown };

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
   * with that token and not signed out since (asked of the store: a session cookie is never taken
   * unchecked). A bearer header, when present, decides alone. Rejects only for a store error that
   * is not the database being unavailable (a missing privilege: a 500).
   */
  authorize(request: FastifyRequest, now?: number): Promise<Access>;
  /** Whether a token typed on the sign-in page is the admin token. */
  isAdminToken(token: string): boolean;
  /** A signed session cookie value for a successful sign-in, with a new session id. */
  issueSession(now?: number): string;
  /**
   * Signing out: revokes the session of the request's cookie (a valid one, not expired) in the
   * store, so that no copy of the cookie is taken again by any worker process on the database.
   * Resolves false when there was no such session to end; rejects when the store could not record it.
   */
  endSession(request: FastifyRequest, now?: number): Promise<boolean>;
}

export interface AdminAccessOptions {
  apiToken?: string | undefined;
  sessionSecret?: string | undefined;
  /** The store that records signed-out sessions (the worker's own). */
  sessions: SessionRevocations;
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

export function createAdminAccess({ apiToken, sessionSecret, sessions }: AdminAccessOptions): AdminAccess {
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

  /** The session a cookie carries, by its signature, token tag and expiry alone (not yet asked whether it was signed out). */
  function readSession(cookie: string, now: number): { ok: true; session: Session } | { ok: false; reason: "invalid" | "expired" } {
    const unsigned = signer.unsign(cookie);
    if (!unsigned.valid || unsigned.value === null) return { ok: false, reason: "invalid" };
    const parts = unsigned.value.split(".");
    const tag = parts.at(-1);
    if (tag === undefined || !safeEqual(tag, tokenTag)) return { ok: false, reason: "invalid" };
    // Ours, from before sessions had ids: it cannot be signed out, so it is not taken (sign in again).
    if (parts.length === 2) return { ok: false, reason: "expired" };
    const [expires, id] = parts;
    if (parts.length !== 3 || !id) return { ok: false, reason: "invalid" };
    const expiresAt = Number(expires);
    if (!(expiresAt > now)) return { ok: false, reason: "expired" };
    return { ok: true, session: { id, expiresAt } };
  }

  function sessionCookie(request: FastifyRequest): string | undefined {
    // Parsed by @fastify/cookie, registered on the console's and the API's scopes with this signer.
    return request.cookies?.[SESSION_COOKIE];
  }

  async function authorize(request: FastifyRequest, now = Date.now()): Promise<Access> {
    if (apiToken === undefined) return { ok: false, reason: "disabled" };
    const token = bearerToken(request);
    if (token !== undefined) return isAdminToken(token) ? { ok: true, via: "bearer" } : { ok: false, reason: "invalid" };
    const cookie = sessionCookie(request);
    if (cookie === undefined) return { ok: false, reason: "missing" };
    const read = readSession(cookie, now);
    if (!read.ok) return read;
    try {
      if (await sessions.isSessionRevoked(read.session.id)) return { ok: false, reason: "revoked" };
    } catch (error) {
      if (isStoreUnavailable(error)) return { ok: false, reason: "unavailable", error };
      throw error;
    }
    return { ok: true, via: "session", session: read.session };
  }

  async function endSession(request: FastifyRequest, now = Date.now()): Promise<boolean> {
    const cookie = sessionCookie(request);
    if (apiToken === undefined || cookie === undefined) return false;
    const read = readSession(cookie, now);
    if (!read.ok) return false;
    await sessions.revokeSession(read.session.id, read.session.expiresAt, now);
    return true;
  }

  return {
    enabled: apiToken !== undefined,
    signer,
    csrfKey: createHmac("sha256", key).update("restock console csrf").digest("base64url"),
    authorize,
    isAdminToken,
    issueSession: (now = Date.now()) => signer.sign(`${now + SESSION_TTL_MS}.${randomBytes(16).toString("base64url")}.${tokenTag}`),
    endSession,
  };
}
