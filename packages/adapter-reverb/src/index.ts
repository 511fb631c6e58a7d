import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parseReverb } from "./parse.js";
import { reverbReasons } from "./reasons.js";

export const reverbAdapter = defineAdapter({
  id: "reverb",
  displayName: "Reverb",
  contractVersion: 1,
  version: pkg.version,
  reasons: reverbReasons,
  parse: parseReverb,
});

export default reverbAdapter;
export { reverbReasons } from "./reasons.js";
