import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter against fixtures with a recorded expected result: it matches.
runAdapterConformance({ adapter: exampleAdapter, fixtures: new URL("./expected-fixtures", import.meta.url) });
