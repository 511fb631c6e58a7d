import { defineAdapter } from "@restock/core";
import { parseWalmart } from "./parse.js";
import { walmartReasons } from "./reasons.js";
import { checkWalmartSecret, verifyWalmartWebhook } from "./verify-webhook.js";
import { version } from "./version.js";

export const walmartAdapter = defineAdapter({
  id: "walmart",
  displayName: "Walmart",
  contractVersion: 1,
  version,
  reasons: walmartReasons,
  capabilities: { webhookAuth: "signature", formats: ["json"] },
  parse: parseWalmart,
  verifyWebhook: verifyWalmartWebhook,
  checkWebhookSecret: checkWalmartSecret,
});

export default walmartAdapter;
export { walmartReasons } from "./reasons.js";
export { checkWalmartSecret, verifyWalmartWebhook } from "./verify-webhook.js";
