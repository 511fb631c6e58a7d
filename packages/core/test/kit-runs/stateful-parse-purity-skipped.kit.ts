import { runAdapterConformance } from "../../src/testing/index.js";
import { statefulAdapter } from "./stateful-adapter.js";

// The same adapter with the purity check (the first test that parses) skipped: the first parse is
// then the fixture's own test's.
runAdapterConformance({
  adapter: statefulAdapter(),
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
  skip: ["parse is synchronous and does no I/O"],
});
