import type { Adapter } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter, except that it reports one unit of each CUSTOMER line as cancelled under a
// code its table lacks (as a part of the line): Smart Logic would restore that part as unknown.
const splitting: Adapter = {
  ...exampleAdapter,
  parse(raw) {
    const result = exampleAdapter.parse(raw);
    for (const cancellation of result.cancellations) {
      for (const line of cancellation.lines) {
        if (line.reason?.code !== "CUSTOMER") continue;
        const seller = { reason: { code: "SELLER_ON_VACATION" }, quantity: 1 };
        line.reasonParts = line.quantity > 1 ? [{ reason: line.reason, quantity: line.quantity - 1 }, seller] : [seller];
      }
    }
    return result;
  },
};

runAdapterConformance({ adapter: splitting, fixtures: new URL("../example-adapter/__fixtures__", import.meta.url) });
