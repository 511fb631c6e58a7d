import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseShopify } from "./parse.js";
import { shopifyReasons } from "./reasons.js";
import { verifyShopifyWebhook } from "./verify-webhook.js";

export const shopifyAdapter = defineAdapter({
  id: "shopify",
  displayName: "Shopify",
  contractVersion: 1,
  version: pkg.version,
  reasons: shopifyReasons,
  capabilities: { webhookAuth: "signature", formats: ["json"] },
  parse: parseShopify,
  verifyWebhook: verifyShopifyWebhook,
});

export default shopifyAdapter;
export { shopifyReasons } from "./reasons.js";
export { verifyShopifyWebhook } from "./verify-webhook.js";
