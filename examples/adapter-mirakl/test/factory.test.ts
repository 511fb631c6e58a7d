import { AdapterDefinitionError, createEngine } from "@restock/core";
import { describe, expect, it } from "vitest";
import defaultAdapter, { bestBuyCanadaExampleAdapter, createAdapter, createMiraklAdapter } from "../src/index.js";

const payload = {
  order_id: "OP-2001-A",
  order_state: "CANCELED",
  order_lines: [
    {
      order_line_id: "OP-2001-A-1",
      offer_sku: "SKU-1",
      quantity: 2,
      order_line_state: "CANCELED",
      cancelations: [{ reason_code: "STOCK", quantity: 2, created_date: "2025-03-05T09:00:00Z" }],
    },
  ],
};

describe("createMiraklAdapter: one adapter per Mirakl operator", () => {
  it("reads the same payload with each operator's own reason table and id", () => {
    const restores = createMiraklAdapter({
      id: "mirakl-operator-a",
      displayName: "Operator A",
      reasons: [{ code: "STOCK", label: "Stock adjustment", outcome: "restore", origin: "spec" }],
    });
    const withholds = createAdapter({
      id: "mirakl-operator-b",
      displayName: "Operator B",
      reasons: [{ code: "STOCK", label: "No stock", outcome: "do_not_restore", origin: "spec" }],
    });
    const engine = createEngine({ adapters: [restores, withholds] });
    const a = engine.evaluate({ marketplace: "mirakl-operator-a", mode: "smart", payload });
    const b = engine.evaluate({ marketplace: "mirakl-operator-b", mode: "smart", payload });
    expect(a.cancellations[0]?.cancellation.marketplace).toBe("mirakl-operator-a");
    expect(b.cancellations[0]?.cancellation.marketplace).toBe("mirakl-operator-b");
    expect(a.cancellations[0]?.decisions.map((d) => [d.restore, d.rule, d.reasonLabel])).toEqual([
      [true, "smart.restore", "Stock adjustment"],
    ]);
    expect(b.cancellations[0]?.decisions.map((d) => [d.restore, d.rule, d.reasonLabel])).toEqual([
      [false, "smart.do_not_restore", "No stock"],
    ]);
  });

  it("the package's default export is the example operator's ready adapter", () => {
    expect(defaultAdapter).toBe(bestBuyCanadaExampleAdapter);
    expect(defaultAdapter.id).toBe("mirakl-bestbuy-ca");
    expect(defaultAdapter.contractVersion).toBe(1);
    expect(defaultAdapter.reasons.map((row) => row.code)).toEqual(["11", "12", "13", "21", "22", "31", "14"]);
  });

  it("refuses bad operator configuration with AdapterDefinitionError naming the field", () => {
    const reasons = [{ code: "X", label: "X", outcome: "restore", origin: "spec" }];
    expect(() => createAdapter(null)).toThrow(AdapterDefinitionError);
    expect(() => createAdapter({ id: "mirakl-x", displayName: "X" })).toThrow("mirakl operator options: reasons:");
    expect(() => createAdapter({ id: "Mirakl X", displayName: "X", reasons })).toThrow("adapter Mirakl X: id: must be lower-case");
    expect(() => createAdapter({ id: "mirakl-x", displayName: "X", reasons: [{ ...reasons[0], outcome: "maybe" }] })).toThrow(
      AdapterDefinitionError,
    );
    expect(() =>
      createAdapter({
        id: "mirakl-x",
        displayName: "X",
        reasons: [...reasons, { code: "x", label: "dup", outcome: "do_not_restore", origin: "spec" }],
      }),
    ).toThrow('reason codes "X" (restore) and "x" (do_not_restore) share the normalized key "x"');
  });
});
