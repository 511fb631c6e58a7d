import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter drawing a random number and reading the process clock, neither visible in
// its results: a sampled debug log, a timing. Each makes parse impure.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      if (Math.random() > 2) throw new Error("never");
      if (process.hrtime.bigint() < 0n) throw new Error("never");
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
