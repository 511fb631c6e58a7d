import { describe, expect, it } from "vitest";
import { type Classification, classifyReason, decide, type Outcome, type ReasonOrigin, type ReasonTable } from "../src/index.js";

const table: ReasonTable = [
  { code: "BuyerCanceled", label: "Buyer Canceled", outcome: "restore", origin: "spec" },
  { code: "NoInventory", label: "No Inventory", outcome: "do_not_restore", origin: "spec" },
  { code: "GeneralAdjustment", label: "General Adjustment", outcome: "ambiguous", origin: "spec" },
  { code: "CustomerCancel", label: "Customer Cancel", outcome: "restore", origin: "extended" },
];

// Every classification a line can have: each outcome from the table, no reason, unknown reason.
const cases: { name: string; code: string | null; origin: ReasonOrigin; outcome: Outcome }[] = [
  { name: "spec restore", code: "BuyerCanceled", origin: "spec", outcome: "restore" },
  { name: "spec do_not_restore", code: "NoInventory", origin: "spec", outcome: "do_not_restore" },
  { name: "spec ambiguous", code: "GeneralAdjustment", origin: "spec", outcome: "ambiguous" },
  { name: "extended restore", code: "CustomerCancel", origin: "extended", outcome: "restore" },
  { name: "no reason", code: null, origin: "none", outcome: "ambiguous" },
  { name: "unknown reason", code: "SomethingNew", origin: "unknown", outcome: "ambiguous" },
];

const expected: Record<string, Record<string, { restore: boolean; rule: string }>> = {
  always: Object.fromEntries(cases.map((c) => [c.name, { restore: true, rule: "always" }])),
  never: Object.fromEntries(cases.map((c) => [c.name, { restore: false, rule: "never" }])),
  smart: {
    "spec restore": { restore: true, rule: "smart.restore" },
    "spec do_not_restore": { restore: false, rule: "smart.do_not_restore" },
    "spec ambiguous": { restore: true, rule: "smart.ambiguous" },
    "extended restore": { restore: true, rule: "smart.restore" },
    "no reason": { restore: true, rule: "smart.no_reason" },
    "unknown reason": { restore: true, rule: "smart.unknown_reason" },
  },
};

describe("the decision matrix (3 modes × outcomes × no reason × unknown reason)", () => {
  for (const mode of ["always", "never", "smart"] as const) {
    for (const c of cases) {
      it(`${mode} / ${c.name}`, () => {
        const classification = classifyReason(table, c.code);
        expect(classification.reasonOrigin).toBe(c.origin);
        expect(classification.outcome).toBe(c.outcome);
        const verdict = decide(mode, classification);
        expect({ restore: verdict.restore, rule: verdict.rule }).toEqual(expected[mode]?.[c.name]);
        expect(verdict.outcome).toBe(c.outcome);
      });
    }
  }
});

describe("classifyReason", () => {
  it("keeps the payload's label for an unknown code", () => {
    expect(classifyReason(table, "Mystery", "A mystery reason")).toEqual({
      reasonCode: "Mystery",
      reasonLabel: "A mystery reason",
      reasonOrigin: "unknown",
      outcome: "ambiguous",
    });
  });

  it("treats an empty or blank code as no reason", () => {
    expect(classifyReason(table, "").reasonOrigin).toBe("none");
    expect(classifyReason(table, "   ").reasonOrigin).toBe("none");
    expect(classifyReason(table, undefined).reasonOrigin).toBe("none");
  });

  it("matches numeric codes as strings", () => {
    const numeric: ReasonTable = [{ code: "24", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" }];
    expect(classifyReason(numeric, 24).outcome).toBe("do_not_restore");
    expect(classifyReason(numeric, "24").reasonLabel).toBe("Out of Stock");
  });

  it("prefers an exact match over a normalized one", () => {
    const twoRows: ReasonTable = [
      { code: "buyer-canceled", label: "First", outcome: "restore", origin: "spec" },
      { code: "BUYER_CANCELED_X", label: "Second", outcome: "do_not_restore", origin: "spec" },
    ];
    expect(classifyReason(twoRows, "BUYER CANCELED").reasonLabel).toBe("First");
    expect(classifyReason(twoRows, "BUYER_CANCELED_X").reasonLabel).toBe("Second");
  });

  it("matches the rule book's spellings of one code", () => {
    for (const spelling of ["BuyerCanceled", "BUYER_CANCELED", "buyer canceled", "Buyer Canceled"]) {
      expect(classifyReason(table, spelling).reasonLabel).toBe("Buyer Canceled");
    }
  });
});

describe("decide on a hand-built classification", () => {
  it("reports the classification's outcome under always and never", () => {
    const classification: Classification = { reasonCode: "x", reasonLabel: null, reasonOrigin: "spec", outcome: "do_not_restore" };
    expect(decide("always", classification)).toEqual({ restore: true, outcome: "do_not_restore", rule: "always" });
    expect(decide("never", classification)).toEqual({ restore: false, outcome: "do_not_restore", rule: "never" });
  });
});

describe("decide with a mode that is not one", () => {
  it("throws naming mode, instead of returning undefined", () => {
    const classification = classifyReason(table, null);
    expect(() => decide("bogus" as "smart", classification)).toThrow(/^mode: expected one of "always", "never", "smart", got "bogus"$/);
  });
});
