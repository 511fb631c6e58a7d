import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A verifyWebhook that answers with the signature it computed instead of a boolean.
runAdapterConformance({
  adapter: { ...exampleAdapter, verifyWebhook: (() => "sha256=abc") as never },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
