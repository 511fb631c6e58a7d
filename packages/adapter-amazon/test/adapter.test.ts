import { runAdapterConformance } from "@restock/core/testing";
import { amazonAdapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
runAdapterConformance({ adapter: amazonAdapter, fixtures: new URL("../__fixtures__", import.meta.url) });
