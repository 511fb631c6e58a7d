import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseWish } from "./parse.js";
import { wishReasons } from "./reasons.js";

export const wishAdapter = defineAdapter({
  id: "wish",
  displayName: "Wish",
  contractVersion: 1,
  version: pkg.version,
  reasons: wishReasons,
  parse: parseWish,
});

export default wishAdapter;
export { wishReasons } from "./reasons.js";
