import { describe, expect, it } from "vitest";
import { type Cancellation, createEngine, defineAdapter, restorableQuantity } from "../src/index.js";
import { exampleAdapter } from "./example-adapter/example-adapter.js";

// One line of 3 units: 2 cancelled at the customer's request, 1 because it was out of stock
// (Walmart reports a line's cancellation as status entries, each with its own reason).
const splitLine = {
  lineId: "1",
  sku: "MUG",
  quantity: 3,
  orderedQuantity: 3,
  reason: { code: "CUSTOMER" },
  reasonParts: [
    { reason: { code: "CUSTOMER" }, quantity: 2 },
    { reason: { code: "OUT_OF_STOCK" }, quantity: 1 },
  ],
};
const cancellation: Cancellation = { marketplace: "example", orderId: "P-1", occurredAt: null, lines: [splitLine] };

describe("a line cancelled under several reasons (reasonParts)", () => {
  const engine = createEngine({ adapters: [exampleAdapter] });

  it("decides each part on its own reason under Smart Logic: 2 of the 3 units may be restored", () => {
    const [decision] = engine.decideCancellation("example", cancellation, "smart");
    expect(decision?.parts).toEqual([
      {
        quantity: 2,
        restore: true,
        outcome: "restore",
        rule: "smart.restore",
        reasonCode: "CUSTOMER",
        reasonLabel: "Customer",
        reasonOrigin: "spec",
      },
      {
        quantity: 1,
        restore: false,
        outcome: "do_not_restore",
        rule: "smart.do_not_restore",
        reasonCode: "OUT_OF_STOCK",
        reasonLabel: "Out of stock",
        reasonOrigin: "spec",
      },
    ]);
    // The line's own fields are the largest part's, for a one-reason view of it.
    expect(decision).toMatchObject({ quantity: 3, restore: true, reasonCode: "CUSTOMER" });
    expect(restorableQuantity(decision!)).toBe(2);
  });

  it("restores every part under Always and none under Never", () => {
    const [always] = engine.decideCancellation("example", cancellation, "always");
    expect(always?.parts?.map((part) => [part.restore, part.rule])).toEqual([
      [true, "always"],
      [true, "always"],
    ]);
    expect(restorableQuantity(always!)).toBe(3);
    const [never] = engine.decideCancellation("example", cancellation, "never");
    expect(restorableQuantity(never!)).toBe(0);
  });

  it("counts a one-reason line as all or nothing", () => {
    const [restored] = engine.decideCancellation(
      "example",
      { ...cancellation, lines: [{ ...splitLine, reasonParts: undefined }] },
      "smart",
    );
    expect(restored?.parts).toBeUndefined();
    expect(restorableQuantity(restored!)).toBe(3);
    const withheld = { ...splitLine, reason: { code: "OUT_OF_STOCK" }, reasonParts: undefined };
    const [decision] = engine.decideCancellation("example", { ...cancellation, lines: [withheld] }, "smart");
    expect(restorableQuantity(decision!)).toBe(0);
  });

  it("refuses a canonical cancellation whose parts do not add up to the line's quantity, naming the field", () => {
    const payload = { ...cancellation, lines: [{ ...splitLine, quantity: 2, orderedQuantity: 3 }] };
    expect(() => engine.evaluate({ marketplace: "example", mode: "smart", payload })).toThrowError(/lines\[0\]\.reasonParts/);
  });

  it("refuses an adapter result whose parts do not add up, in the ledger check and the full schema check", () => {
    const parts = (reasonParts: unknown) =>
      defineAdapter({
        id: "parts",
        displayName: "Parts",
        contractVersion: 1,
        reasons: [],
        parse: () => ({
          cancellations: [{ ...cancellation, marketplace: "parts", lines: [{ ...splitLine, reasonParts } as never] }],
          ignored: [],
        }),
      });
    const cases: [unknown, RegExp][] = [
      [[{ reason: null, quantity: 4 }], /lines\.0\.reasonParts: the parts add up to 4, not the line's quantity 3/],
      [[], /lines\.0\.reasonParts: expected at least one part/],
      [
        [
          { reason: null, quantity: 1.5 },
          { reason: null, quantity: 1.5 },
        ],
        /lines\.0\.reasonParts\.0\.quantity/,
      ],
      [[{ reason: { label: "no code" }, quantity: 3 }], /lines\.0\.reasonParts\.0\.reason/],
    ];
    for (const [reasonParts, message] of cases) {
      const ledger = createEngine({ adapters: [parts(reasonParts)] });
      expect(() => ledger.evaluate({ marketplace: "parts", mode: "smart", payload: {} })).toThrowError(message);
    }
    const strict = createEngine({ adapters: [parts([{ reason: null, quantity: 4 }])], checkOutput: "schema" });
    expect(() => strict.evaluate({ marketplace: "parts", mode: "smart", payload: {} })).toThrowError(/reasonParts/);
  });
});
