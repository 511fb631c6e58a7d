import { runAdapterConformance } from "@restock/core/testing";
import { bestBuyCanadaExampleAdapter } from "../src/index.js";

// The shared suite every adapter runs: reason table, recorded OR11 payloads, malformed input,
// hostile values in every field, determinism, no I/O.
runAdapterConformance({ adapter: bestBuyCanadaExampleAdapter, fixtures: new URL("../__fixtures__", import.meta.url) });
