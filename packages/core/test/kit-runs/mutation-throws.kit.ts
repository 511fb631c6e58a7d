import { readJson } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter throwing a TypeError, not a PayloadError, for an empty reason: only the
// mutated payloads hold one.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      const document = readJson(raw) as { order?: { reason?: unknown } } | null;
      if (document?.order?.reason === "") throw new TypeError("reason.trim is not a function");
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
