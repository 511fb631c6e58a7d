import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseNewegg } from "./parse.js";
import { neweggReasons } from "./reasons.js";

export const neweggAdapter = defineAdapter({
  id: "newegg",
  displayName: "Newegg",
  contractVersion: 1,
  version: pkg.version,
  reasons: neweggReasons,
  parse: parseNewegg,
});

export default neweggAdapter;
export { neweggReasons } from "./reasons.js";
