import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { decisionView } from "../audit/decision-query.js";
import { wholeNumber } from "../config/whole-number.js";
import type { Intake } from "../intake/intake.js";
import { deadLetterView, readDeadLetterBody, retryDeadLetter } from "../processing/dead-letters.js";
import { IntegrationId } from "../settings/integration.js";
import type { Store } from "../store/store.js";
import type { DecisionRecord } from "../store/types.js";
import { RETRY_AFTER_SECONDS } from "./send-intake-result.js";
import { sendRawBody } from "./send-raw-body.js";

const Id = z.object({ id: wholeNumber(1) });
const DeadLetterQuery = z.object({
  kind: z.enum(["rejected", "failed"]).optional(),
  integration: IntegrationId.optional(),
  all: z.enum(["true", "false", "1", "0"]).optional(),
  cursor: wholeNumber(1).optional(),
  limit: wholeNumber(1, 1000).default(100),
});

/** What happened to one event, and the dead letters (rejected deliveries, events that kept failing). */
export function eventRoutes(store: Store, intake: Intake) {
  return async (app: FastifyInstance) => {
    app.get("/v1/events/:id", { schema: { params: Id } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Id>;
      const event = await store.getEvent(id);
      if (!event) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: `no event ${id}` });
      const [decisions, ignored, bodyBytes] = await Promise.all([
        allDecisionsOf(store, id),
        store.listIgnored(id),
        store.getEventBodyBytes(id),
      ]);
      return {
        ...event,
        receivedAt: new Date(event.receivedAt).toISOString(),
        processedAt: event.processedAt === null ? null : new Date(event.processedAt).toISOString(),
        // Whether /body still has the bytes: null once `restock prune` dropped them (only /body said so, with a 410).
        bodyBytes: bodyBytes ?? null,
        decisions: decisions.map(decisionView),
        ignored,
      };
    });

    // The body as it arrived, byte for byte, until `restock prune` drops it (the audit stays).
    app.get("/v1/events/:id/body", { schema: { params: Id } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Id>;
      const event = await store.getEvent(id);
      if (!event) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: `no event ${id}` });
      const body = await store.getEventBody(id);
      if (!body) {
        return reply
          .code(410)
          .send({ statusCode: 410, error: "Gone", message: `the body of event ${id} was pruned (its decisions are kept)` });
      }
      return sendRawBody(reply, body, { contentType: event.contentType, format: event.format, name: `event-${id}` });
    });

    app.get("/v1/dead-letters", { schema: { querystring: DeadLetterQuery } }, async (request) => {
      const query = request.query as z.infer<typeof DeadLetterQuery>;
      const letters = await store.listDeadLetters({
        kind: query.kind,
        integrationId: query.integration,
        includeRetried: query.all === "true" || query.all === "1",
        beforeId: query.cursor,
        limit: query.limit,
      });
      return {
        deadLetters: letters.map(deadLetterView),
        nextCursor: letters.length === query.limit ? String(letters.at(-1)!.id) : null,
      };
    });

    app.get("/v1/dead-letters/:id", { schema: { params: Id } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Id>;
      const letter = await store.getDeadLetter(id);
      if (!letter) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: `no dead letter ${id}` });
      return deadLetterView(letter);
    });

    // The body as it arrived, byte for byte (a rejection's bytes may not even be UTF-8): fix it and
    // deliver it again, or show it to the marketplace, without asking the marketplace for it.
    app.get("/v1/dead-letters/:id/body", { schema: { params: Id } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Id>;
      const kept = await readDeadLetterBody(store, id);
      if (!kept.found) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: kept.error });
      return sendRawBody(reply, kept.body, { contentType: kept.letter.contentType, format: kept.format, name: `dead-letter-${id}` });
    });

    app.post("/v1/dead-letters/:id/retry", { schema: { params: Id } }, async (request, reply) => {
      const { id } = request.params as z.infer<typeof Id>;
      const result = await retryDeadLetter(store, intake, id);
      if (!result.retried && result.notFound) return reply.code(404).send({ statusCode: 404, error: "Not Found", message: result.error });
      if (!result.retried && result.unavailable) return reply.code(503).header("retry-after", RETRY_AFTER_SECONDS).send(result);
      // 409: the letter was retried already, or a retry holds it.
      return reply.code(result.retried ? 200 : 409).send(result);
    });
  };
}

/**
 * Every decision of one event, oldest first. An order-list page can hold more lines than one query
 * page (a 1 MiB body fits about 15,000): the event view shows them all, a page at a time.
 */
async function allDecisionsOf(store: Store, eventId: number): Promise<DecisionRecord[]> {
  const pages: DecisionRecord[][] = [];
  for (let beforeId: number | undefined; ; ) {
    const page = await store.queryDecisions({ eventId, beforeId, limit: DECISION_PAGE });
    pages.push(page);
    if (page.length < DECISION_PAGE) break;
    beforeId = page.at(-1)!.id;
  }
  return pages.flat().reverse();
}

const DECISION_PAGE = 5_000;
