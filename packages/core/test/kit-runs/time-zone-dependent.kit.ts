import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A marketplace's zone-less time read as the host's local time: another instant in each time zone
// the worker may run in, while a UTC machine sees the same result every time.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(input) {
      const result = exampleAdapter.parse(input);
      const occurredAt = new Date("2026-03-05T10:00:00").toISOString();
      return { ...result, cancellations: result.cancellations.map((cancellation) => ({ ...cancellation, occurredAt })) };
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
