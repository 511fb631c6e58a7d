import { verifySharedSecret } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The shared-secret check most adapters use: an unsigned delivery is false.
runAdapterConformance({
  adapter: { ...exampleAdapter, verifyWebhook: verifySharedSecret },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
