import { PayloadError } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter refusing every payload with its message only, naming no field: the worker's
// 400 would then carry `field: null` for a negative quantity or a missing order id.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      try {
        return exampleAdapter.parse(raw);
      } catch (error) {
        if (error instanceof PayloadError) throw new PayloadError(error.issues.map((issue) => issue.message).join("; "));
        throw error;
      }
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
