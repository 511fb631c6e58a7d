import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A JSON-only parse declaring XML too: an XML delivery gets past intake and is refused as "not JSON".
runAdapterConformance({
  adapter: { ...exampleAdapter, capabilities: { ...exampleAdapter.capabilities, formats: ["json", "xml"] } },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
