import type { ReasonTable } from "@restock/core";
import { outcomeLabel } from "../modes.js";

/** A marketplace's reason table as Smart Logic reads it: published (spec) rows first, then the extended ones. */
export function ReasonTableView({ marketplace, reasons }: { marketplace: string; reasons: ReasonTable | undefined }) {
  // No adapter for it in this worker: its deliveries are refused, not restored as a table with no codes would be.
  if (reasons === undefined) {
    return (
      <p class="error" role="alert">
        No adapter for {marketplace} is loaded in this worker, and no fallback adapter: its deliveries are refused (503, and sent again by
        the marketplace) until one is loaded (<code>adapters</code>, <code>RESTOCK_ADAPTERS</code>).
      </p>
    );
  }
  if (reasons.length === 0) {
    return <p>{marketplace} sends no reason codes: under Smart Logic every cancellation from it is restored.</p>;
  }
  const rows = [...reasons.filter((row) => row.origin === "spec"), ...reasons.filter((row) => row.origin === "extended")];
  return (
    <>
      <p>
        Under Smart Logic, each cancelled line's reason decides. <strong>Restore</strong> and <strong>Ambiguous</strong> reasons put the
        units back; <strong>Do not restore</strong> means the item is no longer available. A code missing from this table is treated as
        ambiguous (restored) and flagged in the decisions log.
      </p>
      <div class="table-scroll">
        <table>
          <caption>
            {marketplace} cancellation reasons ({rows.length} codes)
          </caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Code</th>
              <th scope="col">Outcome</th>
              <th scope="col">Table</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code}>
                <td>{row.label}</td>
                <td>
                  <code>{row.code}</code>
                </td>
                <td>
                  <span class={`badge outcome-${row.outcome}`}>{outcomeLabel(row.outcome)}</span>
                </td>
                <td>{row.origin === "spec" ? "Spec (published)" : "Extended"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
