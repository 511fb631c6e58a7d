import { Outcome, Rule } from "@restock/core";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { cleanText } from "../../config/clean-text.js";
import { wholeNumber } from "../../config/whole-number.js";
import { IntegrationId } from "../../settings/integration.js";
import type { DecisionFilter } from "../../store/types.js";
import { csrfToken } from "../csrf-token.js";
import { marketplaceName } from "../marketplaces.js";
import type { ConsoleDeps } from "../plugin.js";
import { sendPage } from "../render.js";
import { DAY_MS, startOfDay } from "../time.js";
import { type DecisionFilterValues, DecisionsPage } from "../views/decisions-page.js";
import { fieldText, firstIssue, optionalField } from "./form-values.js";

const PAGE_SIZE = 50;

const DecisionsQuery = z.object({
  integration: optionalField(IntegrationId),
  order: optionalField(cleanText(0, 256)),
  sku: optionalField(cleanText(0, 256)),
  outcome: optionalField(Outcome),
  rule: optionalField(Rule),
  from: optionalField(z.iso.date()),
  to: optionalField(z.iso.date()),
  /** Paging: decisions older than this id. */
  before: optionalField(wholeNumber(1)),
});
type DecisionsQuery = z.infer<typeof DecisionsQuery>;

const FIELDS = ["integration", "order", "sku", "outcome", "rule", "from", "to"] as const;

/** The audit log, filtered, each line explained. */
export function decisionPages({ store, engine, settings }: ConsoleDeps) {
  return async (app: FastifyInstance) => {
    app.get("/decisions", async (request, reply) => {
      const values = Object.fromEntries(FIELDS.map((name) => [name, fieldText(request.query, name)])) as unknown as DecisionFilterValues;
      const integrationIds = (await settings.list()).map((integration) => integration.id);
      const parsed = DecisionsQuery.safeParse(request.query);
      const filter = parsed.success ? toFilter(parsed.data) : undefined;
      const records = filter ? await store.queryDecisions(filter) : [];
      const older = records.length === PAGE_SIZE ? pageHref(values, records.at(-1)!.id) : undefined;
      return sendPage(
        reply,
        <DecisionsPage
          csrf={csrfToken(reply)}
          values={values}
          integrationIds={integrationIds}
          rows={records.map((record) => ({ record, marketplace: marketplaceName(engine, record.marketplace) }))}
          error={parsed.success ? undefined : `This filter cannot be used: ${firstIssue(parsed.error)}`}
          olderHref={older}
          csvHref={parsed.success ? csvHref(parsed.data) : undefined}
        />,
        parsed.success ? 200 : 400,
      );
    });
  };
}

function toFilter(query: DecisionsQuery): DecisionFilter {
  return {
    integrationId: query.integration,
    orderId: query.order,
    sku: query.sku,
    outcome: query.outcome,
    rule: query.rule,
    from: query.from === undefined ? undefined : startOfDay(query.from),
    // The "to" day is included.
    to: query.to === undefined ? undefined : startOfDay(query.to) + DAY_MS,
    beforeId: query.before,
    limit: PAGE_SIZE,
  };
}

function pageHref(values: DecisionFilterValues, before: number): string {
  const query = new URLSearchParams(Object.entries(values).filter(([, value]) => value !== ""));
  query.set("before", String(before));
  return `/console/decisions?${query}`;
}

const LAST_FOUR_DIGIT_TIME = Date.UTC(10000, 0, 1);

/** The same filter on the API's CSV export (a console session may read the API). */
function csvHref(query: DecisionsQuery): string {
  const params = new URLSearchParams();
  for (const name of ["integration", "order", "sku", "outcome", "rule"] as const) {
    const value = query[name];
    if (value !== undefined) params.set(name, value);
  }
  if (query.from !== undefined) params.set("from", new Date(startOfDay(query.from)).toISOString());
  // The day after 9999-12-31 has no 4-digit year, which the API's times need: that end is no end.
  const end = query.to === undefined ? undefined : startOfDay(query.to) + DAY_MS;
  if (end !== undefined && end < LAST_FOUR_DIGIT_TIME) params.set("to", new Date(end).toISOString());
  return `/v1/decisions.csv${params.size > 0 ? `?${params}` : ""}`;
}
