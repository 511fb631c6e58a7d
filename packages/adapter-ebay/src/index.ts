import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseEbay } from "./parse.js";
import { ebayReasons } from "./reasons.js";

export const ebayAdapter = defineAdapter({
  id: "ebay",
  displayName: "eBay",
  contractVersion: 1,
  version: pkg.version,
  reasons: ebayReasons,
  parse: parseEbay,
});

export default ebayAdapter;
export { ebayReasons } from "./reasons.js";
