import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { wholeNumber } from "../config/whole-number.js";
import { readSinkStatus, readUndelivered } from "../sinks/sink-status.js";
import type { Store } from "../store/store.js";

const UndeliveredQuery = z.object({
  cursor: wholeNumber(0).optional(),
  limit: wholeNumber(1, 1000).default(100),
});

/** The host sink, read-only: turning it on or off is `restock sink enable|disable`. */
export function sinkRoutes(store: Store) {
  return async (app: FastifyInstance) => {
    app.get("/v1/sink", async () => readSinkStatus(store));

    app.get("/v1/sink/undelivered", { schema: { querystring: UndeliveredQuery } }, async (request) => {
      const query = request.query as z.infer<typeof UndeliveredQuery>;
      const undelivered = await readUndelivered(store, query.cursor ?? 0, query.limit);
      return { undelivered, nextCursor: undelivered.length === query.limit ? String(undelivered.at(-1)!.id) : null };
    });
  };
}
