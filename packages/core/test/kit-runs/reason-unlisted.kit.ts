import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter with its CUSTOMER row lost, while cancelled-customer.json still sends CUSTOMER:
// Smart Logic would restore those lines as unknown.
runAdapterConformance({
  adapter: { ...exampleAdapter, reasons: exampleAdapter.reasons.filter((row) => row.code !== "CUSTOMER") },
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
