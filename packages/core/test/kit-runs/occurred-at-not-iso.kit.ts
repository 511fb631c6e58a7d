import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter passing a marketplace's local time through as it came ("05/03/2026 10:00",
// no zone): the contract's occurredAt is ISO-8601 with a zone, or null.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(input) {
      const result = exampleAdapter.parse(input);
      return {
        ...result,
        cancellations: result.cancellations.map((cancellation) => ({ ...cancellation, occurredAt: "05/03/2026 10:00" })),
      };
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
