import type { FastifyInstance, FastifyReply } from "fastify";
import { DecisionQuery, decisionView, nextCursor, toDecisionFilter } from "../audit/decision-query.js";
import { decisionsCsv } from "../audit/decisions-csv.js";
import type { Store } from "../store/store.js";

export function decisionRoutes(store: Store) {
  async function csv(query: DecisionQuery, reply: FastifyReply) {
    // An export is every matching row: the limit only sets how many rows are read at a time.
    const stream = decisionsCsv(store, { ...toDecisionFilter(query), limit: 1000 });
    return reply.type("text/csv; charset=utf-8").header("content-disposition", 'attachment; filename="decisions.csv"').send(stream);
  }

  return async (app: FastifyInstance) => {
    app.get("/v1/decisions", { schema: { querystring: DecisionQuery } }, async (request, reply) => {
      const query = request.query as DecisionQuery;
      if (query.format === "csv") return csv(query, reply);
      const rows = await store.queryDecisions(toDecisionFilter(query));
      return { decisions: rows.map(decisionView), nextCursor: nextCursor(rows, query.limit) };
    });

    app.get("/v1/decisions.csv", { schema: { querystring: DecisionQuery } }, async (request, reply) =>
      csv(request.query as DecisionQuery, reply),
    );
  };
}
