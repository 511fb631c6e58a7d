import type { ReasonTable } from "@restock/core";
import { createMiraklAdapter } from "./create-mirakl-adapter.js";

/**
 * EXAMPLE reason table for Best Buy Canada's Mirakl marketplace. The codes and labels below
 * were written for this example in the shape Mirakl operators use (short codes with a label);
 * they are NOT Best Buy's published list. A seller copies the real list from the operator's
 * Mirakl reason settings and picks an outcome for each code.
 */
export const bestBuyCanadaExampleReasons: ReasonTable = [
  { code: "11", label: "Customer requested cancellation (example)", outcome: "restore", origin: "spec" },
  { code: "12", label: "Pricing error (example)", outcome: "restore", origin: "spec" },
  { code: "13", label: "Shipping address not serviceable (example)", outcome: "restore", origin: "spec" },
  { code: "21", label: "Out of stock (example)", outcome: "do_not_restore", origin: "spec" },
  { code: "22", label: "Item damaged or defective (example)", outcome: "do_not_restore", origin: "spec" },
  { code: "31", label: "Other (example)", outcome: "ambiguous", origin: "spec" },
  { code: "14", label: "Suspected fraud (example)", outcome: "restore", origin: "extended" },
];

/** A ready adapter for the example operator; real deployments build theirs with createMiraklAdapter. */
export const bestBuyCanadaExampleAdapter = createMiraklAdapter({
  id: "mirakl-bestbuy-ca",
  displayName: "Best Buy Canada (Mirakl, example reason table)",
  reasons: bestBuyCanadaExampleReasons,
});
