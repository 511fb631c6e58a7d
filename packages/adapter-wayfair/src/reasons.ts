import type { ReasonTable } from "@restock/core";

/**
 * Wayfair's cancellation reasons. One row per code; a code the marketplace spells two ways
 * gets two rows with one label. `origin: "spec"` for the product's published table,
 * `"extended"` for codes beyond it. Outcomes: restore, do_not_restore, ambiguous (restores).
 *
 * Replace the example row with the marketplace's real codes.
 */
export const wayfairReasons: ReasonTable = [
  { code: "EXAMPLE_CUSTOMER_CANCEL", label: "Customer Cancelled (example: replace me)", outcome: "restore", origin: "spec" },
];
