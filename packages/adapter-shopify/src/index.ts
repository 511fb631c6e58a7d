import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseShopify } from "./parse.js";
import { shopifyReasons } from "./reasons.js";

export const shopifyAdapter = defineAdapter({
  id: "shopify",
  displayName: "Shopify",
  contractVersion: 1,
  version: pkg.version,
  reasons: shopifyReasons,
  parse: parseShopify,
});

export default shopifyAdapter;
export { shopifyReasons } from "./reasons.js";
