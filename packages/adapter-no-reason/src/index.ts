import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseNoReason } from "./parse.js";
import { noReasonReasons } from "./reasons.js";
import { version } from "./version.js";

export const noReasonAdapter = defineAdapter({
  id: "no-reason",
  displayName: "No reason (any channel)",
  contractVersion: 1,
  version,
  reasons: noReasonReasons,
  // The host builds these payloads itself: deliveries carry the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseNoReason,
  verifyWebhook: verifySharedSecret,
});

export default noReasonAdapter;
export { noReasonReasons } from "./reasons.js";
