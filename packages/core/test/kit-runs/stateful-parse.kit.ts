import { runAdapterConformance } from "../../src/testing/index.js";
import { statefulAdapter } from "./stateful-adapter.js";

// An adapter reporting deltas against what it saw on earlier calls: deterministic among its later
// parses, but not with its first one.
runAdapterConformance({ adapter: statefulAdapter(), fixtures: new URL("../example-adapter/__fixtures__", import.meta.url) });
