import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A parse that reuses the bytes it was given as scratch space: the host's copy of the delivery changes.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(input: unknown) {
      const result = exampleAdapter.parse(input);
      if (input instanceof Uint8Array) input.fill(0x20);
      return result;
    },
  },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
