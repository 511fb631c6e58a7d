import { readFileSync } from "node:fs";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter looking up a SKU map on disk (and carrying on when it cannot), starting a timer
// and reading the clock: none is visible in its results, each makes parse impure.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      try {
        readFileSync(new URL("./sku-map.json", import.meta.url));
      } catch {
        // No map: parse as usual.
      }
      clearTimeout(setTimeout(() => {}, 1_000));
      // A clock read that changes nothing in these fixtures' results: the determinism check misses it.
      if (Date.now() < 0) throw new Error("before 1970");
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
