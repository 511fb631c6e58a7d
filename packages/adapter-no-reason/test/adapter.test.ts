import { runAdapterConformance } from "@restock/core/testing";
import { noReasonAdapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
// reasonCodes: false: the channels this adapter serves send no reason code, so its table is empty.
runAdapterConformance({ adapter: noReasonAdapter, fixtures: new URL("../__fixtures__", import.meta.url), reasonCodes: false });
