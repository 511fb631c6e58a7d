import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyReason, decide, normalizeKey, Outcome, type ReasonTable, RestorationMode } from "../src/index.js";

const codeArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_ -]{0,30}$/);
const separators = fc.constantFrom("", "_", " ", "-", ".", "  ");

describe("normalized-key matching (property)", () => {
  it("normalizeKey is idempotent and keeps only a-z0-9", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const key = normalizeKey(s);
        expect(key).toMatch(/^[a-z0-9]*$/);
        expect(normalizeKey(key)).toBe(key);
      }),
    );
  });

  it("a code matches its row whatever its case and separators", () => {
    fc.assert(
      fc.property(codeArb, separators, fc.boolean(), (code, sep, upper) => {
        fc.pre(normalizeKey(code).length > 0);
        const table: ReasonTable = [{ code, label: "L", outcome: "do_not_restore", origin: "spec" }];
        const words = code.split(/[_ -]+/).filter(Boolean);
        const respelled = words.join(sep);
        const variant = upper ? respelled.toUpperCase() : respelled.toLowerCase();
        expect(classifyReason(table, variant).outcome).toBe("do_not_restore");
        expect(classifyReason(table, variant).reasonOrigin).toBe("spec");
      }),
    );
  });

  it("a code whose key differs from every row is unknown", () => {
    fc.assert(
      fc.property(codeArb, codeArb, (rowCode, other) => {
        fc.pre(normalizeKey(rowCode) !== normalizeKey(other) && normalizeKey(other).length > 0);
        const table: ReasonTable = [{ code: rowCode, label: "L", outcome: "restore", origin: "spec" }];
        expect(classifyReason(table, other).reasonOrigin).toBe("unknown");
      }),
    );
  });
});

describe("decide (property)", () => {
  const classificationArb = fc.record({
    reasonCode: fc.option(fc.string(), { nil: null }),
    reasonLabel: fc.option(fc.string(), { nil: null }),
    reasonOrigin: fc.constantFrom("spec", "extended", "unknown", "none" as const),
    outcome: fc.constantFrom(...Outcome.options),
  });

  it("always restores, never withholds, and smart withholds only do_not_restore from a known table row", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RestorationMode.options), classificationArb, (mode, classification) => {
        const verdict = decide(mode, classification);
        expect(verdict.outcome).toBe(classification.outcome);
        if (mode === "always") expect(verdict.restore).toBe(true);
        if (mode === "never") expect(verdict.restore).toBe(false);
        if (mode === "smart") {
          const known = classification.reasonOrigin === "spec" || classification.reasonOrigin === "extended";
          expect(verdict.restore).toBe(!(known && classification.outcome === "do_not_restore"));
          expect(verdict.rule.startsWith("smart.")).toBe(true);
        }
      }),
    );
  });
});
