import type { FastifyReply, FastifyRequest } from "fastify";
import { type AdminAccess, bearerToken } from "./admin-access.js";
import { RETRY_AFTER_SECONDS } from "./send-intake-result.js";

/**
 * onRequest hook for the /v1 API: the admin permission check shared with the console
 * (`Authorization: Bearer <apiToken>`, checked before the body is read). A console session may
 * read the API (the decisions CSV link); changes need the bearer token, since API requests carry
 * no CSRF token. A session that cannot be checked against the signed-out ones (the database is
 * down) is answered 503, never let through.
 */
export function bearerAuth(access: AdminAccess) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const readOnly = request.method === "GET" || request.method === "HEAD";
    // A change without a bearer header is refused whatever session comes with it: its session is not
    // asked of the store (while the database was down, such a POST got 503, as if it could pass).
    if (!readOnly && bearerToken(request) === undefined) return unauthorized(access, reply);
    const result = await access.authorize(request);
    if (result.ok && (result.via === "bearer" || readOnly)) return;
    if (!result.ok && result.reason === "unavailable") {
      request.log.warn({ err: result.error }, "a console session could not be checked: the database does not answer");
      return reply.code(503).header("retry-after", RETRY_AFTER_SECONDS).send({
        statusCode: 503,
        error: "Service Unavailable",
        message: "the session could not be checked now (the database does not answer): try again later",
      });
    }
    return unauthorized(access, reply);
  };
}

function unauthorized(access: AdminAccess, reply: FastifyReply) {
  reply.header("www-authenticate", 'Bearer realm="restock"');
  return reply.code(401).send({
    statusCode: 401,
    error: "Unauthorized",
    message: access.enabled ? "invalid or missing bearer token" : "the API is disabled: no apiToken is configured",
  });
}
