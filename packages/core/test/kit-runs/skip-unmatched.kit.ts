import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// One entry names a test; one is misspelt; one names a valid fixture under the malformed group.
runAdapterConformance({
  adapter: exampleAdapter,
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
  skip: [
    "cancelled-out-of-stock",
    "cancelled-out-of-stok",
    "malformed fixtures are rejected with a PayloadError naming the field › cancelled-customer",
  ],
});
