import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseWalmart } from "./parse.js";
import { walmartReasons } from "./reasons.js";

export const walmartAdapter = defineAdapter({
  id: "walmart",
  displayName: "Walmart",
  contractVersion: 1,
  version: pkg.version,
  reasons: walmartReasons,
  parse: parseWalmart,
});

export default walmartAdapter;
export { walmartReasons } from "./reasons.js";
