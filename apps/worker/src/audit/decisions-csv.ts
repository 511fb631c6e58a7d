import { pipeline, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Store } from "../store/store.js";
import type { DecisionFilter, DecisionRecord } from "../store/types.js";
import { yieldToEventLoop } from "../store/yield-to-event-loop.js";
import { decisionView } from "./decision-query.js";

const columns: (keyof DecisionRecord)[] = [
  "id",
  "decidedAt",
  "eventId",
  "integrationId",
  "marketplace",
  "account",
  "orderId",
  "lineId",
  "sku",
  "quantity",
  "restoredNow",
  "restore",
  "mode",
  "outcome",
  "rule",
  "reasonCode",
  "reasonLabel",
  "reasonOrigin",
  "reasonDerived",
  "adapterId",
  "adapterVersion",
  "parts",
];

/** Every decision matching the filter (its limit is the page size), newest first, as a CSV stream: memory stays bounded. */
export function decisionsCsv(store: Store, filter: DecisionFilter): Readable {
  async function* pages() {
    let beforeId = filter.beforeId;
    for (;;) {
      const rows = await store.queryDecisions({ ...filter, beforeId });
      for (const row of rows) yield decisionView(row);
      if (rows.length < filter.limit) return;
      beforeId = rows.at(-1)!.id;
      await yieldToEventLoop();
    }
  }
  // escape_formulas: a cell starting with = + - @ (or tab, CR) gets a leading ' so a spreadsheet
  // shows it as text instead of running it (a SKU or reason code comes from a payload). The JSON
  // API keeps the values as they are.
  const csv = stringify({
    header: true,
    columns,
    escape_formulas: true,
    cast: { boolean: (value) => (value ? "true" : "false"), object: (value) => JSON.stringify(value) },
  });
  // pipeline() destroys the CSV stream when reading fails, so the response ends with an error instead of hanging.
  return pipeline(Readable.from(pages()), csv, () => {});
}
