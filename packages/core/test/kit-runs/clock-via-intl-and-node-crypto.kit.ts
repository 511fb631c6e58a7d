import { getRandomValues, randomBytes, randomInt, randomUUID } from "node:crypto";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter reading the clock through Intl (which the determinism check's fake `Date`
// does not move) and drawing chance through node:crypto's named exports (another object than the
// global `crypto`), none of it visible in its results: a debug stamp, a trace id.
const stamp = new Intl.DateTimeFormat("en-US", { timeZone: "UTC" });
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      if (stamp.format().length < 0 || stamp.formatToParts().length < 0) throw new Error("never");
      if (randomUUID().length < 0 || randomBytes(2).length < 0 || randomInt(10) < 0) throw new Error("never");
      if (getRandomValues(new Uint8Array(1)).length < 0) throw new Error("never");
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
