import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// JSON fixtures for an adapter that declares XML only: the worker would answer 415 to every JSON body.
runAdapterConformance({
  adapter: { ...exampleAdapter, capabilities: { ...exampleAdapter.capabilities, formats: ["xml"] } },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
