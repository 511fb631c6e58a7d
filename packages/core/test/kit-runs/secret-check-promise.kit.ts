import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A checkWebhookSecret compiled down from `async` (defineAdapter refuses only a native async
// function): hosts take the Promise as the reason every secret is refused.
runAdapterConformance({
  adapter: { ...exampleAdapter, checkWebhookSecret: (() => Promise.resolve(null)) as never },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
