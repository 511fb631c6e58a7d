import { normalizeKey } from "./normalize-key.js";
import type { Outcome, ReasonOrigin } from "./schemas/mode.js";
import type { ReasonRow, ReasonTable } from "./schemas/reason-table.js";

/** What a reason code means under a marketplace's table. */
export interface Classification {
  reasonCode: string | null;
  reasonLabel: string | null;
  reasonOrigin: ReasonOrigin;
  /** No reason and unknown reasons are ambiguous: they do not say whether the item is gone. */
  outcome: Outcome;
}

interface TableIndex {
  exact: Map<string, ReasonRow>;
  normalized: Map<string, ReasonRow>;
}

// Tables are immutable after defineAdapter, so one index per table object is enough.
const indexes = new WeakMap<ReasonTable, TableIndex>();

function indexOf(table: ReasonTable): TableIndex {
  let index = indexes.get(table);
  if (!index) {
    index = { exact: new Map(), normalized: new Map() };
    for (const row of table) {
      if (!index.exact.has(row.code)) index.exact.set(row.code, row);
      // A code with no a-z or 0-9 (Japanese, punctuation) has the empty key: it matches exactly only,
      // or every other such code would share its row.
      const key = normalizeKey(row.code);
      if (key !== "" && !index.normalized.has(key)) index.normalized.set(key, row);
    }
    indexes.set(table, index);
  }
  return index;
}

/** Looks a code up exactly, then by normalized key; numeric codes match as strings. */
export function findReasonRow(table: ReasonTable, code: string | number): ReasonRow | undefined {
  const text = String(code);
  const index = indexOf(table);
  const exact = index.exact.get(text);
  if (exact) return exact;
  const key = normalizeKey(text);
  return key === "" ? undefined : index.normalized.get(key);
}

export function classifyReason(table: ReasonTable, code: string | number | null | undefined, payloadLabel?: string | null): Classification {
  if (code === null || code === undefined || String(code).trim() === "") {
    return { reasonCode: null, reasonLabel: null, reasonOrigin: "none", outcome: "ambiguous" };
  }
  const text = String(code);
  const row = findReasonRow(table, text);
  if (!row) {
    return {
      reasonCode: text,
      reasonLabel: payloadLabel ?? null,
      reasonOrigin: "unknown",
      outcome: "ambiguous",
    };
  }
  return { reasonCode: text, reasonLabel: row.label, reasonOrigin: row.origin, outcome: row.outcome };
}
