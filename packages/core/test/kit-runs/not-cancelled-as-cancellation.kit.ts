import { readJson } from "../../src/index.js";
import { runAdapterConformance } from "../../src/testing/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

// The example adapter reading every line's ordered units as cancelled, whatever the order's status:
// the open order (open-order-not-cancelled.json, no .expected.json) becomes a cancellation, which
// every generic check takes; its name says it is none.
runAdapterConformance({
  adapter: {
    ...exampleAdapter,
    parse(raw) {
      const document = readJson(raw) as { order?: { status?: unknown; lines?: { ordered?: unknown; cancelled?: unknown }[] } };
      if (document?.order?.status !== "open" || !Array.isArray(document.order.lines)) return exampleAdapter.parse(raw);
      const lines = document.order.lines.map((line) =>
        line !== null && typeof line === "object" ? { ...line, cancelled: line.ordered } : line,
      );
      return exampleAdapter.parse({ ...document, order: { ...document.order, status: "cancelled", lines } });
    },
  },
  fixtures: new URL("./not-cancelled-fixtures", import.meta.url),
});
