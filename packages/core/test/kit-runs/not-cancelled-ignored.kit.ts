import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter on the same fixtures: the open order is an ignored event.
runAdapterConformance({ adapter: exampleAdapter, fixtures: new URL("./not-cancelled-fixtures", import.meta.url) });
