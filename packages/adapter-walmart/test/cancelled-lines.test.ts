import { describe, expect, it } from "vitest";
import { tallyCancelledLines } from "../src/cancelled-lines.js";

const slice = (units: number, code: string | null) => ({
  lineId: "1",
  sku: "MUG",
  orderedQuantity: 3,
  units,
  reason: code === null ? null : { code },
});

describe("tallyCancelledLines", () => {
  it("adds up slices of one reason without parts", () => {
    const { lines, mixedReasons } = tallyCancelledLines([slice(1, "A"), slice(1, "A")]);
    expect(lines).toEqual([{ lineId: "1", sku: "MUG", quantity: 2, orderedQuantity: 3, reason: { code: "A" } }]);
    expect(mixedReasons).toEqual([]);
  });

  it("keeps no reason apart from a reason, and takes the first listed on a tie", () => {
    const { lines } = tallyCancelledLines([slice(1, null), slice(1, "A")]);
    expect(lines[0]).toMatchObject({
      quantity: 2,
      reason: null,
      reasonParts: [
        { reason: null, quantity: 1 },
        { reason: { code: "A" }, quantity: 1 },
      ],
    });
  });

  it("trims slices adding up to more than was ordered from the last listed, so the parts add up to the line", () => {
    const { lines } = tallyCancelledLines([slice(2, "A"), slice(1, "B"), slice(2, "C")]);
    expect(lines[0]).toMatchObject({
      quantity: 3,
      reason: { code: "A" },
      reasonParts: [
        { reason: { code: "A" }, quantity: 2 },
        { reason: { code: "B" }, quantity: 1 },
      ],
    });
  });
});
