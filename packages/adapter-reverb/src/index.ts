import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseReverb } from "./parse.js";
import { reverbReasons } from "./reasons.js";
import { version } from "./version.js";

export const reverbAdapter = defineAdapter({
  id: "reverb",
  displayName: "Reverb",
  contractVersion: 1,
  version,
  reasons: reverbReasons,
  // Reverb does not sign webhooks yet; its docs recommend registering a secret URL (`?token=`).
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseReverb,
  verifyWebhook: verifySharedSecret,
});

export default reverbAdapter;
export { reverbReasons } from "./reasons.js";
