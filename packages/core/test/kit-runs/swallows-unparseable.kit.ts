import { readJson } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter answering a body it cannot read with "nothing here" instead of a PayloadError:
// a truncated delivery would be accepted and lost instead of refused and kept.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      try {
        readJson(raw);
      } catch {
        return { cancellations: [], ignored: [] };
      }
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
