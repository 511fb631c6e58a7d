import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// A fixture recorded with a UTF-8 byte-order mark, which core reads: nothing in the kit may take
// the mark's absence after decoding for a parse that changed its bytes.
runAdapterConformance({ adapter: exampleAdapter, fixtures: new URL("./bom/__fixtures__", import.meta.url) });
