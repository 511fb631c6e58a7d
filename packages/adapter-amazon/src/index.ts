import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseAmazon } from "./parse.js";
import { amazonReasons } from "./reasons.js";
import { MARKETPLACE } from "./result.js";
import { version } from "./version.js";

export const amazonAdapter = defineAdapter({
  id: MARKETPLACE,
  displayName: "Amazon",
  contractVersion: 1,
  version,
  reasons: amazonReasons,
  capabilities: { formats: ["json", "xml"], webhookAuth: "shared-secret" },
  parse: parseAmazon,
  // Amazon signs nothing: ORDER_CHANGE arrives on the seller's SQS queue, trusted through AWS IAM.
  // A host that relays those messages (or its feeds) over HTTP proves itself with a shared secret.
  verifyWebhook: verifySharedSecret,
});

export default amazonAdapter;
export { amazonReasons } from "./reasons.js";
