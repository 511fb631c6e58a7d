export { resultProblems } from "./check-result.js";
export { type Fixture, loadFixtures } from "./fixtures.js";
export { HOSTILE_VALUES, jsonPaths, withValueAt } from "./mutations.js";
export { type PayloadRefusalOptions, payloadRefusal } from "./payload-refusal.js";
export { type ConformanceOptions, runAdapterConformance } from "./run-adapter-conformance.js";
export { watchIo } from "./watch-io.js";
