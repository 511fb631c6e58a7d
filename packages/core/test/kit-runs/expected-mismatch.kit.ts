import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter reading the reason from the wrong place (every cancellation out of stock):
// every generic check passes, the recorded expected result does not.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      const result = exampleAdapter.parse(raw);
      for (const cancellation of result.cancellations) {
        for (const line of cancellation.lines) line.reason = { code: "OUT_OF_STOCK" };
      }
      return result;
    },
  },
  fixtures: new URL("./expected-fixtures", import.meta.url),
});
