import { defineAdapter } from "@restock/core";
import { parseShopify } from "./parse.js";
import { shopifyReasons } from "./reasons.js";
import { verifyShopifyWebhook } from "./verify-webhook.js";
import { version } from "./version.js";

export const shopifyAdapter = defineAdapter({
  id: "shopify",
  displayName: "Shopify",
  contractVersion: 1,
  version,
  reasons: shopifyReasons,
  capabilities: { webhookAuth: "signature", formats: ["json"] },
  parse: parseShopify,
  verifyWebhook: verifyShopifyWebhook,
});

export default shopifyAdapter;
export { shopifyReasons } from "./reasons.js";
export { verifyShopifyWebhook } from "./verify-webhook.js";
