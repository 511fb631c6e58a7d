import type { ReasonTable } from "@restock/core";

/**
 * Reverb's refund-request reasons (rule book §4, Reverb): the documented values of the refund
 * request's `reason`, all seven in the spec. An order's own `status: cancelled` carries none.
 */
export const reverbReasons: ReasonTable = [
  { code: "buyer_return", label: "Buyer Return", outcome: "restore", origin: "spec" },
  { code: "accidental_order", label: "Accidental Order", outcome: "restore", origin: "spec" },
  { code: "change_shipping_address", label: "Change Shipping Address", outcome: "restore", origin: "spec" },
  { code: "shipping_adjustments", label: "Shipping Adjustments", outcome: "restore", origin: "spec" },
  { code: "sold_elsewhere", label: "Sold Elsewhere", outcome: "do_not_restore", origin: "spec" },
  { code: "lost_shipment", label: "Lost Shipment", outcome: "do_not_restore", origin: "spec" },
  { code: "shipping_damage", label: "Shipping Damage", outcome: "do_not_restore", origin: "spec" },
];
