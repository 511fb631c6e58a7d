import { createEngine } from "@restock/core";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const engine = createEngine({ adapters: [shopifyAdapter] });

function decisions(name: string, mode: "smart" | "always" | "never" = "smart") {
  const evaluation = engine.evaluate({ marketplace: "shopify", mode, payload: fixture(name) });
  return evaluation.cancellations.flatMap(({ decisions }) =>
    decisions.map(({ lineId, restore, quantity, outcome, rule, reasonCode, reasonLabel, reasonOrigin }) => ({
      lineId,
      restore,
      quantity,
      outcome,
      rule,
      reasonCode,
      reasonLabel,
      reasonOrigin,
    })),
  );
}

describe("Smart Logic decisions on Shopify payloads", () => {
  it("withholds an inventory cancellation (GraphQL upper case matches the table)", () => {
    expect(decisions("graphql-order-cancelled-inventory")).toEqual([
      {
        lineId: "13688971559227",
        restore: false,
        quantity: 1,
        outcome: "do_not_restore",
        rule: "smart.do_not_restore",
        reasonCode: "INVENTORY",
        reasonLabel: "Inventory Out Of Stock",
        reasonOrigin: "spec",
      },
    ]);
    expect(decisions("orders-cancelled-inventory")).toMatchObject([
      { restore: false, rule: "smart.do_not_restore", reasonCode: "inventory" },
    ]);
  });

  it("restores a customer cancellation line by line", () => {
    expect(decisions("orders-cancelled-customer").map(({ lineId, restore, quantity, rule }) => [lineId, restore, quantity, rule])).toEqual([
      ["13688971493691", true, 2, "smart.restore"],
      ["13688971526459", true, 1, "smart.restore"],
    ]);
  });

  it("restores `other` as ambiguous and `staff` from the extended table", () => {
    expect(decisions("orders-cancelled-other")).toMatchObject([
      { restore: true, outcome: "ambiguous", rule: "smart.ambiguous", reasonLabel: "Other Reason(s)", reasonOrigin: "spec" },
    ]);
    expect(decisions("orders-cancelled-staff")).toMatchObject([
      { restore: true, outcome: "restore", rule: "smart.restore", reasonLabel: "Staff Error", reasonOrigin: "extended" },
    ]);
  });

  it("restores a refund-line cancellation (no reason) and an unknown code", () => {
    expect(decisions("refunds-create-line-cancel")).toMatchObject([
      { restore: true, quantity: 1, rule: "smart.no_reason", reasonCode: null },
    ]);
    expect(decisions("orders-cancelled-unknown-reason")).toMatchObject([
      { restore: true, rule: "smart.unknown_reason", reasonCode: "warehouse_closure", reasonOrigin: "unknown" },
    ]);
  });

  it("follows the mode whatever the reason", () => {
    expect(decisions("orders-cancelled-inventory", "always")).toMatchObject([{ restore: true, rule: "always" }]);
    expect(decisions("orders-cancelled-customer", "never").map((d) => [d.restore, d.rule])).toEqual([
      [false, "never"],
      [false, "never"],
    ]);
  });

  it("passes a money-only refund through as ignored", () => {
    const evaluation = engine.evaluate({ marketplace: "shopify", mode: "smart", payload: fixture("refunds-create-money-only") });
    expect(evaluation.cancellations).toEqual([]);
    expect(evaluation.ignored.map((event) => [event.kind, event.reason])).toEqual([["refunds/create", "partial_refund"]]);
  });
});
