import { runAdapterConformance } from "@restock/core/testing";
import { ebayAdapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
runAdapterConformance({ adapter: ebayAdapter, fixtures: new URL("../__fixtures__", import.meta.url) });
