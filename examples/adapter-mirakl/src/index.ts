import { bestBuyCanadaExampleAdapter } from "./bestbuy-ca-example.js";

// A host that loads adapters by package name takes the default export: a ready adapter for
// the example operator. Hosts that pass options call createAdapter(options).
export default bestBuyCanadaExampleAdapter;
export { bestBuyCanadaExampleAdapter, bestBuyCanadaExampleReasons } from "./bestbuy-ca-example.js";
export { createAdapter, createMiraklAdapter, type MiraklOperator } from "./create-mirakl-adapter.js";
