import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseNoReason } from "./parse.js";
import { noReasonReasons } from "./reasons.js";

export const noReasonAdapter = defineAdapter({
  id: "no-reason",
  displayName: "No reason (any channel)",
  contractVersion: 1,
  version: pkg.version,
  reasons: noReasonReasons,
  parse: parseNoReason,
});

export default noReasonAdapter;
export { noReasonReasons } from "./reasons.js";
