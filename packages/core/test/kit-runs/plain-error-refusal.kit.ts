import { PayloadError } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A refusal thrown as a plain Error: the worker would take it for the adapter's fault (accepted,
// retried, dead-lettered as failed) instead of answering 400.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(input: unknown) {
      try {
        return exampleAdapter.parse(input);
      } catch (error) {
        if (error instanceof PayloadError) throw new Error(`bad payload: ${error.message}`);
        throw error;
      }
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
