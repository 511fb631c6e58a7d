import { readFileSync } from "node:fs";
import { createEngine, type LineDecision, restorableQuantity } from "@restock/core";
import { describe, expect, it } from "vitest";
import adapter from "../src/index.js";

// Recorded Mirakl payloads through the real engine, with the decisions a seller would see.
const engine = createEngine({ adapters: [adapter] });
const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), "utf8");
const evaluate = (name: string, mode: "smart" | "always" | "never" = "smart") =>
  engine.evaluate({ marketplace: "mirakl-bestbuy-ca", mode, payload: fixture(name) });

type Summary = Pick<LineDecision, "lineId" | "sku" | "quantity" | "restore" | "rule" | "reasonCode" | "reasonOrigin">;
function decisions(name: string, mode?: "smart" | "always" | "never"): Record<string, Summary[]> {
  const result = evaluate(name, mode);
  return Object.fromEntries(
    result.cancellations.map(({ cancellation, decisions }) => [
      cancellation.orderId,
      decisions.map(({ lineId, sku, quantity, restore, rule, reasonCode, reasonOrigin }) => ({
        lineId,
        sku,
        quantity,
        restore,
        rule,
        reasonCode,
        reasonOrigin,
      })),
    ]),
  );
}

/** Each line's restorable units, as a ledger would restore them (`restorableQuantity`). */
function restorableOf(payload: string, mode: "smart" | "always" | "never" = "smart"): Record<string, number> {
  const result = engine.evaluate({ marketplace: "mirakl-bestbuy-ca", mode, payload });
  const lines = result.cancellations.flatMap(({ decisions }) => decisions);
  return Object.fromEntries(lines.map((decision) => [decision.lineId, restorableQuantity(decision)]));
}
const restorable = (name: string, mode?: "smart" | "always" | "never") => restorableOf(fixture(name), mode);

/** A recorded OR11 page with its first order's first line changed. */
// biome-ignore lint/suspicious/noExplicitAny: a test edits the recorded JSON freely
function withFirstLine(name: string, change: (line: any) => void): string {
  const page = JSON.parse(fixture(name));
  change(page.orders[0].order_lines[0]);
  return JSON.stringify(page);
}

describe("Best Buy Canada (example table) through the engine", () => {
  it("a customer-requested cancellation of a whole line restores it", () => {
    expect(decisions("or11-line-canceled-customer-request")).toEqual({
      "BBYCA-100001-A": [
        {
          lineId: "BBYCA-100001-A-1",
          sku: "HDMI-CABLE-2M",
          quantity: 1,
          restore: true,
          rule: "smart.restore",
          reasonCode: "11",
          reasonOrigin: "spec",
        },
      ],
    });
    expect(evaluate("or11-line-canceled-customer-request").cancellations[0]?.cancellation.occurredAt).toBe("2025-03-05T14:02:11Z");
  });

  it("a cancelation date without a zone is not passed on as the time: the order's last update is, or null", () => {
    const order = JSON.parse(fixture("or11-line-canceled-customer-request"));
    const first = order.orders?.[0] ?? order;
    const withDate = (created: string, updated: string | null) => {
      for (const line of first.order_lines) for (const cancelation of line.cancelations ?? []) cancelation.created_date = created;
      first.last_updated_date = updated;
      const result = engine.evaluate({ marketplace: "mirakl-bestbuy-ca", mode: "smart", payload: JSON.stringify(order) });
      return result.cancellations[0]?.cancellation.occurredAt;
    };
    expect(withDate("2025-03-05 14:02", "2025-03-06T08:00:00Z")).toBe("2025-03-06T08:00:00Z");
    expect(withDate("-3", "05/03/2025")).toBeNull();
    expect(withDate("2025-03-05T14:02:11+01:00", null)).toBe("2025-03-05T14:02:11+01:00");
  });

  it("a partial out-of-stock cancellation withholds the cancelled unit only; the untouched line is not decided", () => {
    const result = evaluate("or11-partial-cancel-out-of-stock");
    expect(result.cancellations[0]?.cancellation.lines).toEqual([
      { lineId: "BBYCA-100002-A-1", sku: "USB-C-CHARGER-65W", quantity: 1, orderedQuantity: 3, reason: { code: "21" } },
    ]);
    expect(decisions("or11-partial-cancel-out-of-stock")["BBYCA-100002-A"]).toEqual([
      {
        lineId: "BBYCA-100002-A-1",
        sku: "USB-C-CHARGER-65W",
        quantity: 1,
        restore: false,
        rule: "smart.do_not_restore",
        reasonCode: "21",
        reasonOrigin: "spec",
      },
    ]);
  });

  it("a seller cancellation for a pricing error restores both units", () => {
    expect(decisions("or11-seller-cancel-pricing-error")).toEqual({
      "BBYCA-100012-A": [
        {
          lineId: "BBYCA-100012-A-1",
          sku: "SMARTWATCH-44MM",
          quantity: 2,
          restore: true,
          rule: "smart.restore",
          reasonCode: "12",
          reasonOrigin: "spec",
        },
      ],
    });
  });

  it("two cancellations on one line under different reasons: each reason keeps its units", () => {
    const result = evaluate("or11-two-cancelations-pricing-then-damaged");
    expect(result.cancellations[0]?.cancellation.lines).toEqual([
      {
        lineId: "BBYCA-100003-A-1",
        sku: "BT-SPEAKER-MINI",
        quantity: 3,
        orderedQuantity: 4,
        reason: { code: "22" },
        reasonParts: [
          { reason: { code: "12" }, quantity: 1 },
          { reason: { code: "22" }, quantity: 2 },
        ],
      },
    ]);
    // The pricing-error unit is restored, the two damaged ones are not.
    expect(restorable("or11-two-cancelations-pricing-then-damaged")).toEqual({ "BBYCA-100003-A-1": 1 });
  });

  it("2 damaged units and 1 customer cancellation restore 1 unit, in whichever order they came", () => {
    const name = "or11-line-canceled-damaged-then-customer";
    const parts = [
      { reason: { code: "22" }, quantity: 2 },
      { reason: { code: "11" }, quantity: 1 },
    ];
    expect(adapter.parse(fixture(name)).cancellations[0]?.lines).toEqual([
      { lineId: "BBYCA-100013-A-1", sku: "DESK-LAMP-LED", quantity: 3, orderedQuantity: 3, reason: { code: "22" }, reasonParts: parts },
    ]);
    expect(restorable(name)).toEqual({ "BBYCA-100013-A-1": 1 });
    expect(restorable(name, "always")).toEqual({ "BBYCA-100013-A-1": 3 });
    expect(restorable(name, "never")).toEqual({ "BBYCA-100013-A-1": 0 });

    const reversed = withFirstLine(name, (line) => line.cancelations.reverse());
    expect(restorableOf(reversed)).toEqual({ "BBYCA-100013-A-1": 1 });
  });

  it("a tie between two reasons gives the line the first listed one's reason", () => {
    const tied = withFirstLine("or11-line-canceled-damaged-then-customer", (line) => {
      line.cancelations[0].quantity = 1;
      line.quantity = 2;
    });
    const line = adapter.parse(tied).cancellations[0]?.lines[0];
    expect(line?.reason).toEqual({ code: "22" });
    expect(line?.reasonParts?.map((part) => part.quantity)).toEqual([1, 1]);
  });

  it("units of a CANCELED line beyond its records go under the line state reason, and the parts stop at the ordered quantity", () => {
    // The customer's unit has no record: the line's state reason says why it was cancelled.
    const unrecorded = withFirstLine("or11-line-canceled-damaged-then-customer", (line) => {
      line.cancelations.pop();
      line.order_line_state_reason_code = "11";
      line.order_line_state_reason_label = "Customer requested cancellation";
    });
    expect(adapter.parse(unrecorded).cancellations[0]?.lines[0]?.reasonParts).toEqual([
      { reason: { code: "22" }, quantity: 2 },
      { reason: { code: "11", label: "Customer requested cancellation" }, quantity: 1 },
    ]);
    expect(restorableOf(unrecorded)).toEqual({ "BBYCA-100013-A-1": 1 });

    // Without a line state reason the order's is used.
    const byOrder = JSON.parse(unrecorded);
    byOrder.orders[0].order_lines[0].order_line_state_reason_code = null;
    byOrder.orders[0].order_state_reason_code = "21";
    expect(adapter.parse(byOrder).cancellations[0]?.lines[0]?.reasonParts).toEqual([
      { reason: { code: "22" }, quantity: 2 },
      { reason: { code: "21" }, quantity: 1 },
    ]);

    // Records adding up to more than was ordered: the last listed loses the excess.
    const above = withFirstLine("or11-line-canceled-damaged-then-customer", (line) => {
      line.cancelations[1].quantity = 4;
    });
    expect(adapter.parse(above).cancellations[0]?.lines[0]).toMatchObject({
      quantity: 3,
      reason: { code: "22" },
      reasonParts: [
        { reason: { code: "22" }, quantity: 2 },
        { reason: { code: "11" }, quantity: 1 },
      ],
    });
  });

  it("an OR11 page gives one cancellation per cancelling order and ignores the shipped one", () => {
    const result = evaluate("or11-page-address-other-and-shipped");
    expect(decisions("or11-page-address-other-and-shipped")).toEqual({
      "BBYCA-100004-A": [
        {
          lineId: "BBYCA-100004-A-1",
          sku: "MONITOR-27-QHD",
          quantity: 1,
          restore: true,
          rule: "smart.restore",
          reasonCode: "13",
          reasonOrigin: "spec",
        },
      ],
      "BBYCA-100005-A": [
        {
          lineId: "BBYCA-100005-A-1",
          sku: "KEYBOARD-MECH-TKL",
          quantity: 2,
          restore: true,
          rule: "smart.ambiguous",
          reasonCode: "31",
          reasonOrigin: "spec",
        },
      ],
    });
    expect(result.ignored).toEqual([{ kind: "SHIPPED", reason: "not_a_cancellation", orderId: "BBYCA-100006-A" }]);
  });

  it("an order cancelled with no cancellation records cancels every line in full, with no reason", () => {
    expect(decisions("or11-order-canceled-unpaid-no-cancelation")).toEqual({
      "BBYCA-100007-A": [
        {
          lineId: "BBYCA-100007-A-1",
          sku: "SSD-1TB-NVME",
          quantity: 2,
          restore: true,
          rule: "smart.no_reason",
          reasonCode: null,
          reasonOrigin: "none",
        },
        {
          lineId: "BBYCA-100007-A-2",
          sku: "SSD-HEATSINK",
          quantity: 1,
          restore: true,
          rule: "smart.no_reason",
          reasonCode: null,
          reasonOrigin: "none",
        },
      ],
    });
  });

  it("a line state reason is used when the line was cancelled without cancellation records", () => {
    const payload = JSON.parse(fixture("or11-order-canceled-unpaid-no-cancelation"));
    payload.order_lines[0].order_line_state_reason_code = "21";
    payload.order_lines[0].order_line_state_reason_label = "Out of stock";
    payload.order_state_reason_code = "11";
    const lines = adapter.parse(payload).cancellations[0]?.lines.map((line) => line.reason);
    expect(lines).toEqual([{ code: "21", label: "Out of stock" }, { code: "11" }]);
  });

  it("cancelled units above the ordered quantity are capped at it", () => {
    expect(decisions("or11-cancelations-above-line-quantity")["BBYCA-100008-A"]).toEqual([
      {
        lineId: "BBYCA-100008-A-1",
        sku: "PHONE-CASE-CLEAR",
        quantity: 2,
        restore: true,
        rule: "smart.restore",
        reasonCode: "14",
        reasonOrigin: "extended",
      },
    ]);
  });

  it("a code the operator's table does not list restores as unknown, and Never Restore withholds it", () => {
    const unknown = { lineId: "BBYCA-100009-A-1", sku: "GAME-CONTROLLER", quantity: 1, reasonCode: "77", reasonOrigin: "unknown" };
    expect(decisions("or11-unknown-reason-code")["BBYCA-100009-A"]).toEqual([{ ...unknown, restore: true, rule: "smart.unknown_reason" }]);
    expect(decisions("or11-unknown-reason-code", "never")["BBYCA-100009-A"]).toEqual([{ ...unknown, restore: false, rule: "never" }]);
  });

  it("an order waiting for acceptance is ignored, even under Always Restore", () => {
    const result = evaluate("or11-waiting-acceptance-nothing-cancelled", "always");
    expect(result.cancellations).toEqual([]);
    expect(result.ignored).toEqual([{ kind: "WAITING_ACCEPTANCE", reason: "not_a_cancellation", orderId: "BBYCA-100010-A" }]);
  });

  it("rejects malformed payloads with the field path", () => {
    expect(() => adapter.parse(fixture("malformed-cancelation-quantity-negative"))).toThrow(
      "orders[0].order_lines[0].cancelations[0].quantity",
    );
    expect(() => adapter.parse(fixture("malformed-duplicate-order-line-id"))).toThrow(
      "order_lines[1].order_line_id: order line id BBYCA-100011-A-1 appears twice",
    );
    expect(() => adapter.parse(fixture("malformed-order-lines-not-an-array"))).toThrow("order_lines:");
  });
});
