import type { ReasonTable } from "@restock/core";

/** The code this adapter reports for an order Newegg voided by itself (`IsAutoVoid` true). */
export const AUTO_VOID = "AUTO_VOID";

/**
 * Newegg's cancellation reasons (rule book §4, Newegg): the `Value` a seller sends with a cancel
 * request (`Action` 1). Newegg's read API returns no code; an auto-void is the one signal it has.
 */
export const neweggReasons: ReasonTable = [
  { code: "72", label: "Customer Requested to Cancel", outcome: "restore", origin: "spec" },
  { code: "73", label: "Price Error", outcome: "restore", origin: "spec" },
  { code: "24", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" },
  { code: "74", label: "Unable to Fulfill Order", outcome: "ambiguous", origin: "spec" },
  // Newegg voids unshipped orders itself (failed card re-authorization, 14-day limit): nothing says whether the stock is there.
  { code: AUTO_VOID, label: "Auto-Void (Newegg voided the order)", outcome: "ambiguous", origin: "extended" },
];
