import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseNewegg } from "./parse.js";
import { neweggReasons } from "./reasons.js";
import { version } from "./version.js";

export const neweggAdapter = defineAdapter({
  id: "newegg",
  displayName: "Newegg",
  contractVersion: 1,
  version,
  reasons: neweggReasons,
  // Newegg only polls and signs nothing: a host forwarding payloads authenticates with the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseNewegg,
  verifyWebhook: verifySharedSecret,
});

export default neweggAdapter;
export { AUTO_VOID, neweggReasons } from "./reasons.js";
