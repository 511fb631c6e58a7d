import { safeEqual } from "@restock/core";
import type { FastifyReply, FastifyRequest } from "fastify";

/** onRequest hook for the /v1 API: `Authorization: Bearer <apiToken>`, checked before the body is read. */
export function bearerAuth(apiToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith("Bearer ") ? header.slice(7) : undefined;
    if (apiToken === undefined || token === undefined || !safeEqual(token, apiToken)) {
      reply.header("www-authenticate", 'Bearer realm="restock"');
      return reply.code(401).send({
        statusCode: 401,
        error: "Unauthorized",
        message: apiToken ? "invalid or missing bearer token" : "the API is disabled: no apiToken is configured",
      });
    }
  };
}
