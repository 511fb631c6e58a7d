import type { ReasonTable } from "@restock/core";

/**
 * Empty on purpose: the channels this adapter serves (Etsy, WooCommerce, BigCommerce, Magento,
 * Target Plus, Kroger, Temu, ...) send no reason code, so Smart Logic restores (`smart.no_reason`).
 */
export const noReasonReasons: ReasonTable = [];
