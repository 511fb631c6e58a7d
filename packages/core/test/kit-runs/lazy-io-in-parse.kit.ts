import { readFileSync } from "node:fs";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter reading a SKU map on disk once, on its first call, and keeping it: the I/O
// happens in whichever of the kit's tests parses first, so the purity check must be that test.
let skuMap: string | undefined;
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      if (skuMap === undefined) {
        try {
          skuMap = readFileSync(new URL("./sku-map.json", import.meta.url), "utf8");
        } catch {
          skuMap = "{}";
        }
      }
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
