import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseWish } from "./parse.js";
import { wishReasons } from "./reasons.js";
import { version } from "./version.js";

export const wishAdapter = defineAdapter({
  id: "wish",
  displayName: "Wish",
  contractVersion: 1,
  version,
  reasons: wishReasons,
  // Wish signs nothing (and its webhooks are undocumented): deliveries carry the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseWish,
  verifyWebhook: verifySharedSecret,
});

export default wishAdapter;
export { wishReason, wishReasons } from "./reasons.js";
