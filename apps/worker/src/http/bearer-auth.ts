import type { FastifyReply, FastifyRequest } from "fastify";
import type { AdminAccess } from "./admin-access.js";

/**
 * onRequest hook for the /v1 API: the admin permission check shared with the console
 * (`Authorization: Bearer <apiToken>`, checked before the body is read). A console session may
 * read the API (the decisions CSV link); changes need the bearer token, since API requests carry
 * no CSRF token.
 */
export function bearerAuth(access: AdminAccess) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = access.authorize(request);
    if (result.ok && (result.via === "bearer" || request.method === "GET" || request.method === "HEAD")) return;
    reply.header("www-authenticate", 'Bearer realm="restock"');
    return reply.code(401).send({
      statusCode: 401,
      error: "Unauthorized",
      message: access.enabled ? "invalid or missing bearer token" : "the API is disabled: no apiToken is configured",
    });
  };
}
