import { defineAdapter, verifySharedSecret } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseWish } from "./parse.js";
import { wishReasons } from "./reasons.js";

export const wishAdapter = defineAdapter({
  id: "wish",
  displayName: "Wish",
  contractVersion: 1,
  version: pkg.version,
  reasons: wishReasons,
  // Wish signs nothing (and its webhooks are undocumented): deliveries carry the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseWish,
  verifyWebhook: verifySharedSecret,
});

export default wishAdapter;
export { wishReason, wishReasons } from "./reasons.js";
