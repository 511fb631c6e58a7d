import type { ReasonTable } from "@restock/core";

/**
 * Shopify's cancel reasons (rule book §4, Shopify). REST writes them in lower case
 * (`cancel_reason: "customer"`), GraphQL as the upper-case `OrderCancelReason` enum (`CUSTOMER`):
 * both spellings share one normalized key, so one row per reason matches both.
 */
export const shopifyReasons: ReasonTable = [
  { code: "customer", label: "Customer Wants To Cancel", outcome: "restore", origin: "spec" },
  { code: "fraud", label: "Order Is Fraudulent", outcome: "restore", origin: "spec" },
  { code: "declined", label: "Payment Was Declined", outcome: "restore", origin: "spec" },
  { code: "inventory", label: "Inventory Out Of Stock", outcome: "do_not_restore", origin: "spec" },
  { code: "other", label: "Other Reason(s)", outcome: "ambiguous", origin: "spec" },
  // Added in API 2023-10 ("Staff made an error"): the order itself was the mistake, the stock is still there.
  { code: "staff", label: "Staff Error", outcome: "restore", origin: "extended" },
];
