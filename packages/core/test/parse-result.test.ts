import { expect, it } from "vitest";
import { type Cancellation, type IgnoredEvent, toParseResult } from "../src/index.js";

const cancelled = (orderId: string): Cancellation => ({
  marketplace: "example",
  orderId,
  occurredAt: null,
  lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }],
});
const ignored = (orderId: string): IgnoredEvent => ({ kind: "order", reason: "not_a_cancellation", orderId });

it("sorts each order's outcome into cancellations and ignored events, keeping their order", () => {
  expect(toParseResult([cancelled("A"), ignored("B"), cancelled("C"), ignored("D")])).toEqual({
    cancellations: [cancelled("A"), cancelled("C")],
    ignored: [ignored("B"), ignored("D")],
  });
  expect(toParseResult([])).toEqual({ cancellations: [], ignored: [] });
});
