import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A verifyWebhook that answers with a Promise, as one compiled down to `__awaiter` would (it
// passes defineAdapter, which refuses only a function declared `async`): the worker refuses every
// delivery. The adapter object is built by hand, as such a build would hand it over.
runAdapterConformance({
  adapter: { ...exampleAdapter, verifyWebhook: (() => Promise.resolve(false)) as never },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
