import { defineAdapter, verifySharedSecret } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseNoReason } from "./parse.js";
import { noReasonReasons } from "./reasons.js";

export const noReasonAdapter = defineAdapter({
  id: "no-reason",
  displayName: "No reason (any channel)",
  contractVersion: 1,
  version: pkg.version,
  reasons: noReasonReasons,
  // The host builds these payloads itself: deliveries carry the integration's shared secret.
  capabilities: { webhookAuth: "shared-secret", formats: ["json"] },
  parse: parseNoReason,
  verifyWebhook: verifySharedSecret,
});

export default noReasonAdapter;
export { noReasonReasons } from "./reasons.js";
