import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A parse that forgot its `return` (plain JavaScript): the kit says so, instead of failing on its own reads.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(input: unknown) {
      exampleAdapter.parse(input);
    },
  } as never,
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
