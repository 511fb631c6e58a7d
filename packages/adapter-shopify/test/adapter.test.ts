import { runAdapterConformance } from "@restock/core/testing";
import { shopifyAdapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
runAdapterConformance({ adapter: shopifyAdapter, fixtures: new URL("../__fixtures__", import.meta.url) });
