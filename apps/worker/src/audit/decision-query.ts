import { Outcome, Rule } from "@restock/core";
import { z } from "zod";
import { cleanText } from "../config/clean-text.js";
import { wholeNumber } from "../config/whole-number.js";
import { IntegrationId } from "../settings/integration.js";
import type { DecisionFilter, DecisionRecord } from "../store/types.js";

// A date alone is that day's midnight UTC (what `--from 2026-01-01` means to most people).
const time = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z",
  })
  .transform((value) => Date.parse(value));

/** `GET /v1/decisions` and `restock decisions`: filters, newest first, cursor paging. */
export const DecisionQuery = z.object({
  integration: IntegrationId.optional(),
  order: cleanText(1, 256).optional(),
  sku: cleanText(1, 256).optional(),
  outcome: Outcome.optional(),
  rule: Rule.optional(),
  event: wholeNumber(1).optional(),
  /** Decided at or after (ISO-8601). */
  from: time.optional(),
  /** Decided before (ISO-8601). */
  to: time.optional(),
  limit: wholeNumber(1, 1000).default(100),
  /** The previous page's `nextCursor`. */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "must be a nextCursor value from a previous page")
    .optional(),
  format: z.enum(["json", "csv"]).default("json"),
});
export type DecisionQuery = z.infer<typeof DecisionQuery>;

export function toDecisionFilter(query: DecisionQuery): DecisionFilter {
  return {
    integrationId: query.integration,
    orderId: query.order,
    sku: query.sku,
    outcome: query.outcome,
    rule: query.rule,
    eventId: query.event,
    from: query.from,
    to: query.to,
    beforeId: query.cursor === undefined ? undefined : Number(query.cursor),
    limit: query.limit,
  };
}

/** A page's cursor: the last row's id when the page is full (there may be more). */
export function nextCursor(rows: readonly DecisionRecord[], limit: number): string | null {
  return rows.length === limit ? String(rows.at(-1)!.id) : null;
}

/** A decision as the API and exports show it: times in ISO-8601. */
export function decisionView(record: DecisionRecord) {
  return { ...record, decidedAt: new Date(record.decidedAt).toISOString() };
}
