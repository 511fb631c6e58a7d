import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { acceptedContentTypes } from "../intake/body-format.js";
import type { Intake } from "../intake/intake.js";
import { IntegrationId } from "../settings/integration.js";
import type { AdminAccess } from "./admin-access.js";
import { bearerAuth } from "./bearer-auth.js";
import type { CountRefusal } from "./count-refusal.js";
import { sendIntakeResult } from "./send-intake-result.js";

const Params = z.object({ integrationId: IntegrationId });

/** The routes that take marketplace payloads (JSON and XML, acceptedContentTypes). */
export const WEBHOOK_ROUTE = "/webhooks/:integrationId";
export const CANCELLATIONS_ROUTE = "/v1/integrations/:integrationId/cancellations";

/**
 * The two ways events come in. Bodies stay raw bytes (signatures are over the exact bytes, and
 * adapters parse them); Fastify refuses other content types with 415 and bodies over the limit with 413
 * (counted by `countRefusal`, as intake counts the refusals it makes).
 */
export function intakeRoutes(intake: Intake, access: AdminAccess, countRefusal: CountRefusal = () => {}) {
  return async (app: FastifyInstance) => {
    // A compressed body is not decompressed (signatures are over the bytes a marketplace signed): refused
    // with 415 naming the encoding, before it is read, rather than a 400 "not valid UTF-8" on its bytes.
    // preParsing, not onRequest: after the host route's token check, so a client without the token
    // gets 401 and is not counted against the integration.
    app.addHook("preParsing", async (request, reply) => {
      const encoding = request.headers["content-encoding"]?.trim().toLowerCase();
      if (encoding && encoding !== "identity") {
        countRefusal(request, "unsupported_media_type");
        return reply.code(415).send({
          statusCode: 415,
          error: "Unsupported Media Type",
          message: `content-encoding "${encoding}" is not supported: send the body uncompressed`,
        });
      }
      // Compression as a transfer-coding (`Transfer-Encoding: gzip, chunked`): Node undoes only the
      // chunking, so the gzip bytes reached the adapter as "not valid UTF-8" instead of this 415.
      const codings = request.headers["transfer-encoding"]
        ?.split(",")
        .map((coding) => coding.trim().toLowerCase())
        .filter((coding) => coding !== "" && coding !== "chunked" && coding !== "identity");
      if (codings && codings.length > 0) {
        countRefusal(request, "unsupported_media_type");
        return reply.code(415).send({
          statusCode: 415,
          error: "Unsupported Media Type",
          message: `transfer-encoding "${codings.join(", ")}" is not supported: send the body uncompressed (chunked is fine)`,
        });
      }
    });
    app.removeAllContentTypeParsers();
    app.addContentTypeParser([...acceptedContentTypes], { parseAs: "buffer" }, (_request, body, done) => done(null, body));

    // Before the body is read (onRequest): an unknown integration, or a missing shared secret, is
    // answered at once instead of after a body of up to bodyLimit has been buffered.
    // Per delivery: a string test, not the params schema (which validates after the body is read).
    const admit = async (request: FastifyRequest, reply: FastifyReply) => {
      const { integrationId } = request.params as { integrationId?: unknown };
      if (typeof integrationId !== "string") return;
      const early = await intake.admitWebhook(integrationId, { headers: request.headers, url: request.url });
      if (early) return sendIntakeResult(reply, early);
    };

    app.post(WEBHOOK_ROUTE, { schema: { params: Params }, onRequest: admit }, async (request, reply) => {
      const { integrationId } = request.params as z.infer<typeof Params>;
      const result = await intake.receive({
        integrationId,
        body: bodyOf(request.body),
        contentType: request.headers["content-type"],
        source: "webhook",
        webhook: { headers: request.headers, url: request.url },
      });
      return sendIntakeResult(reply, result);
    });

    app.post(CANCELLATIONS_ROUTE, { schema: { params: Params }, onRequest: bearerAuth(access) }, async (request, reply) => {
      const { integrationId } = request.params as z.infer<typeof Params>;
      const result = await intake.receive({
        integrationId,
        body: bodyOf(request.body),
        contentType: request.headers["content-type"],
        source: "api",
      });
      return sendIntakeResult(reply, result);
    });
  };
}

function bodyOf(body: unknown): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}
