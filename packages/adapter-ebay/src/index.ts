import { defineAdapter, verifySharedSecret } from "@restock/core";
import { parseEbay } from "./parse.js";
import { ebayReasons } from "./reasons.js";
import { MARKETPLACE } from "./result.js";
import { version } from "./version.js";

export const ebayAdapter = defineAdapter({
  id: MARKETPLACE,
  displayName: "eBay",
  contractVersion: 1,
  version,
  reasons: ebayReasons,
  capabilities: { formats: ["json", "xml"], webhookAuth: "shared-secret" },
  parse: parseEbay,
  // eBay pushes no usable signed order-cancellation event: orders are polled (Fulfillment getOrders,
  // Post-Order search, Trading GetOrders). A host that relays what it polled proves itself with a shared secret.
  verifyWebhook: verifySharedSecret,
});

export default ebayAdapter;
export { ebayReasons } from "./reasons.js";
