import { createEngine, restorableQuantity } from "@restock/core";
import { describe, expect, it } from "vitest";
import { walmartAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const engine = createEngine({ adapters: [walmartAdapter] });

function decisions(name: string) {
  const evaluation = engine.evaluate({ marketplace: "walmart", mode: "smart", payload: fixture(name) });
  return evaluation.cancellations.flatMap(({ decisions }) =>
    decisions.map(({ lineId, restore, quantity, rule, reasonCode, reasonOrigin }) => ({
      lineId,
      restore,
      quantity,
      rule,
      reasonCode,
      reasonOrigin,
    })),
  );
}

describe("Smart Logic decisions on Walmart payloads", () => {
  it("restores only the customer-requested unit of a line whose other 3 units were cancelled out of stock", () => {
    const evaluation = engine.evaluate({
      marketplace: "walmart",
      mode: "smart",
      payload: fixture("orders-api-line-cancelled-under-two-reasons"),
    });
    const [decision] = evaluation.cancellations[0]!.decisions;
    expect(decision?.parts?.map(({ quantity, restore, reasonCode }) => [quantity, restore, reasonCode])).toEqual([
      [1, true, "CUSTOMER_REQUESTED_SELLER_TO_CANCEL"],
      [3, false, "SELLER_CANCEL_OUT_OF_STOCK"],
    ]);
    expect(restorableQuantity(decision!)).toBe(1);
  });

  it("withholds the out-of-stock line and restores the customer-requested one in the same order", () => {
    expect(decisions("orders-api-multi-line-different-reasons")).toEqual([
      {
        lineId: "1",
        restore: false,
        quantity: 2,
        rule: "smart.do_not_restore",
        reasonCode: "SELLER_CANCEL_OUT_OF_STOCK",
        reasonOrigin: "spec",
      },
      {
        lineId: "2",
        restore: true,
        quantity: 1,
        rule: "smart.restore",
        reasonCode: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL",
        reasonOrigin: "spec",
      },
    ]);
  });

  it("restores a Walmart fraud cancel (extended row) and an auto-cancel as ambiguous", () => {
    expect(decisions("order-updates-fraud-cancel")).toEqual([
      { lineId: "1", restore: true, quantity: 1, rule: "smart.restore", reasonCode: "FRAUD_CANCEL", reasonOrigin: "extended" },
    ]);
    expect(decisions("order-updates-po-line-autocancelled")).toEqual([
      { lineId: "2", restore: true, quantity: 2, rule: "smart.ambiguous", reasonCode: "PO_LINE_AUTOCANCELLED", reasonOrigin: "extended" },
    ]);
  });

  it("withholds Chile's AGOTADO and restores an unknown code as unknown", () => {
    expect(decisions("orders-api-cancelled-chile-agotado")).toMatchObject([
      { restore: false, rule: "smart.do_not_restore", reasonOrigin: "extended" },
    ]);
    expect(decisions("orders-api-cancelled-unknown-reason")).toMatchObject([
      { restore: true, rule: "smart.unknown_reason", reasonCode: "WALMART_CANCEL_CARRIER_EMBARGO", reasonOrigin: "unknown" },
    ]);
  });

  it("restores lines without a reason under smart.no_reason", () => {
    expect(decisions("orders-api-cancelled-missing-reason").map(({ restore, rule }) => [restore, rule])).toEqual([
      [true, "smart.no_reason"],
      [true, "smart.no_reason"],
    ]);
  });

  it("follows the mode whatever the reason: never withholds a customer cancel, always restores out of stock", () => {
    const never = engine.evaluate({
      marketplace: "walmart",
      mode: "never",
      payload: fixture("orders-api-cancelled-customer-requested-seller-to-cancel"),
    });
    expect(never.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, rule: "never", outcome: "restore" });
    const always = engine.evaluate({ marketplace: "walmart", mode: "always", payload: fixture("orders-api-cancelled-out-of-stock") });
    expect(always.cancellations[0]?.decisions[0]).toMatchObject({ restore: true, rule: "always", outcome: "do_not_restore" });
  });

  it("passes an intent to cancel through as ignored, deciding nothing", () => {
    const evaluation = engine.evaluate({ marketplace: "walmart", mode: "smart", payload: fixture("order-updates-intent-to-cancel") });
    expect(evaluation.cancellations).toEqual([]);
    expect(evaluation.ignored.map((event) => event.reason)).toEqual(["cancel_requested"]);
  });
});
