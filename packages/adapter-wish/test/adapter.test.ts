import { runAdapterConformance } from "@restock/core/testing";
import { wishAdapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
runAdapterConformance({ adapter: wishAdapter, fixtures: new URL("../__fixtures__", import.meta.url) });
