import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseAmazon } from "./parse.js";
import { amazonReasons } from "./reasons.js";

export const amazonAdapter = defineAdapter({
  id: "amazon",
  displayName: "Amazon",
  contractVersion: 1,
  version: pkg.version,
  reasons: amazonReasons,
  parse: parseAmazon,
});

export default amazonAdapter;
export { amazonReasons } from "./reasons.js";
