import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseWayfair } from "./parse.js";
import { wayfairReasons } from "./reasons.js";
import { version } from "./version.js";

export const wayfairAdapter = defineAdapter({
  id: "wayfair",
  displayName: "Wayfair",
  contractVersion: 1,
  version,
  reasons: wayfairReasons,
  // Wayfair only polls and signs nothing: a host forwarding purchase orders authenticates with the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseWayfair,
  verifyWebhook: verifySharedSecret,
});

export default wayfairAdapter;
export { wayfairReasons } from "./reasons.js";
