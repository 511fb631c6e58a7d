import type { ReasonTable } from "@restock/core";

/**
 * Walmart's cancellation reasons (rule book §4, Walmart). `spec` rows are the product's published
 * table and hold exactly; `extended` rows are the codes Walmart's APIs have beyond it (older US codes,
 * the webhook sub-events used as a code when a line carries no reason, Canada, Chile and Mexico).
 */
export const walmartReasons: ReasonTable = [
  { code: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL", label: "Customer Requested Seller To Cancel", outcome: "restore", origin: "spec" },
  { code: "SELLER_CANCEL_FRAUD_STOP_SHIPMENT", label: "Seller Cancel — Fraud Stop Shipment", outcome: "restore", origin: "spec" },
  { code: "SELLER_CANCEL_PRICING_ERROR", label: "Seller Cancel — Pricing Error", outcome: "restore", origin: "spec" },
  { code: "SELLER_CANCEL_ADDRESS_NOT_SERVICEABLE", label: "Seller Cancel — Address Not Serviceable", outcome: "restore", origin: "spec" },
  { code: "SELLER_CANCEL_OUT_OF_STOCK", label: "Seller Cancel — Out of Stock", outcome: "do_not_restore", origin: "spec" },

  {
    code: "SELLER_CANCEL_CUSTOMER_INCORRECT_ADDRESS",
    label: "Seller Cancel — Customer Incorrect Address (older US code)",
    outcome: "restore",
    origin: "extended",
  },
  {
    code: "SELLER_CANCEL_CUSTOMER_DUPLICATE_ORDER",
    label: "Seller Cancel — Customer Duplicate Order (older US code)",
    outcome: "restore",
    origin: "extended",
  },
  {
    code: "SELLER_CANCEL_CUSTOMER_CHANGE_ORDER",
    label: "Seller Cancel — Customer Change Order (older US code)",
    outcome: "restore",
    origin: "extended",
  },
  { code: "FRAUD_CANCEL", label: "Cancelled by Walmart fraud review (webhook sub-event)", outcome: "restore", origin: "extended" },
  { code: "ERROR_DE_PRECIO", label: "Error de precio — pricing error (Walmart Chile)", outcome: "restore", origin: "extended" },
  { code: "AGOTADO", label: "Agotado — sold out (Walmart Chile)", outcome: "do_not_restore", origin: "extended" },
  {
    code: "PO_LINE_AUTOCANCELLED",
    label: "Line auto-cancelled: not shipped in time (webhook sub-event)",
    outcome: "ambiguous",
    origin: "extended",
  },
  { code: "CANCEL_BY_SELLER", label: "Cancelled by seller (Walmart Canada)", outcome: "ambiguous", origin: "extended" },
  { code: "RECHAZAR", label: "Rechazar — rejected by seller (Walmart Chile)", outcome: "ambiguous", origin: "extended" },
  { code: "MIRAKL_REFUND_45", label: "Mirakl refund 45 (Walmart Mexico)", outcome: "ambiguous", origin: "extended" },
  { code: "MIRAKL_REFUND_15", label: "Mirakl refund 15 (Walmart Mexico)", outcome: "ambiguous", origin: "extended" },
  { code: "SELLER_REJECTION", label: "Seller rejection (Walmart Mexico)", outcome: "ambiguous", origin: "extended" },
];
