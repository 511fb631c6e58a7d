import { runAdapterConformance } from "../src/testing/index.js";
import { exampleAdapter } from "./example-adapter/example-adapter.js";

runAdapterConformance({ adapter: exampleAdapter, fixtures: new URL("./example-adapter/__fixtures__", import.meta.url) });
