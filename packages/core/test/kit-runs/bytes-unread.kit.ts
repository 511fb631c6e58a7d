import { PayloadError } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter reading text and parsed JSON, but refusing bytes as it would a body that is
// not JSON: the worker hands text over, other hosts bytes.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      if (raw instanceof Uint8Array) throw new PayloadError("body is not valid JSON (not a string)");
      return exampleAdapter.parse(raw);
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
