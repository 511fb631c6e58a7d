import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseWayfair } from "./parse.js";
import { wayfairReasons } from "./reasons.js";

export const wayfairAdapter = defineAdapter({
  id: "wayfair",
  displayName: "Wayfair",
  contractVersion: 1,
  version: pkg.version,
  reasons: wayfairReasons,
  parse: parseWayfair,
});

export default wayfairAdapter;
export { wayfairReasons } from "./reasons.js";
