import type { ReasonTable } from "@restock/core";

/**
 * Wayfair's cancellation reasons (rule book §4, Wayfair). The supplier API publishes no reason
 * field: these codes come only from the host (`restockReason`, taken from Partner Home or EDI).
 */
export const wayfairReasons: ReasonTable = [
  { code: "CUSTOMER_REQUESTED_CANCELLATION", label: "Customer Requested Cancellation", outcome: "restore", origin: "spec" },
  { code: "OUT_OF_STOCK", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" },
  { code: "ITEM_DISCONTINUED", label: "Item Discontinued", outcome: "do_not_restore", origin: "spec" },
];
