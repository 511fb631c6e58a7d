import { defineAdapter } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The spec row CUSTOMER shares its label with an extended row the fixtures' code now maps to: no
// fixture exercises the spec row, though a fixture exercises a row of that label.
runAdapterConformance({
  adapter: defineAdapter({
    ...exampleAdapter,
    contractVersion: 1,
    reasons: [
      { code: "CUSTOMER_V1", label: "Customer", outcome: "restore", origin: "spec" },
      { code: "CUSTOMER", label: "Customer", outcome: "restore", origin: "extended" },
      ...exampleAdapter.reasons.filter((row) => row.code !== "CUSTOMER"),
    ],
  }),
  fixtures: new URL("../example-adapter/__fixtures__", import.meta.url),
});
