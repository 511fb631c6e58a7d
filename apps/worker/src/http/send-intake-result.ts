import { STATUS_CODES } from "node:http";
import type { FastifyReply } from "fastify";
import type { IntakeResult } from "../intake/intake.js";

/** How long a 503 asks a sender to wait: the database is down or busy, which takes seconds to mend, not hours. */
export const RETRY_AFTER_SECONDS = "10";

/** Maps intake's result to the HTTP answer: 202 with the event id, or the error naming the field. */
export function sendIntakeResult(reply: FastifyReply, result: IntakeResult) {
  if (result.status === 202) return reply.code(202).send({ eventId: result.eventId, status: "accepted" });
  const body: Record<string, unknown> = { statusCode: result.status, error: STATUS_CODES[result.status], message: result.error };
  if (result.status === 400) {
    body.field = result.field;
    body.rejectionId = result.rejectionId;
  }
  // As Fastify's own 415s on these routes (server.ts): the header is the field.
  if (result.status === 415) body.field = "content-type";
  // 503: nothing was kept; a sender that reads Retry-After waits before delivering again.
  if (result.status === 503) reply.header("retry-after", RETRY_AFTER_SECONDS);
  return reply.code(result.status).send(body);
}
