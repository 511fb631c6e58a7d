import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// Every entry names a test: a check, a valid fixture by name alone, a malformed one with its group.
runAdapterConformance({
  adapter: exampleAdapter,
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
  skip: [
    "has recorded fixtures, valid and malformed",
    "cancelled-out-of-stock",
    "fixtures parse to valid cancellations or ignored events › cancel-requested",
    "malformed fixtures are rejected with a PayloadError naming the field › malformed-negative-quantity",
  ],
});
