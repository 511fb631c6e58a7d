import { readFileSync } from "node:fs";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter looking up a SKU map on disk (and carrying on when it cannot), and starting a
// timer: neither is visible in its results, both make parse impure.
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
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
