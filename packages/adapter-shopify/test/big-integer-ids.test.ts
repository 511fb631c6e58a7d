import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";
import { rejection } from "./rejection.js";

// 820982911946154508 is above 2^53: JSON.parse turns it into 820982911946154500.
describe("Shopify ids above 2^53 keep every digit", () => {
  it("keeps the order id and line ids of an orders/cancelled body", () => {
    const [cancellation] = shopifyAdapter.parse(fixture("orders-cancelled-big-integer-ids")).cancellations;
    expect(cancellation?.orderId).toBe("820982911946154508");
    expect(cancellation?.lines.map((line) => line.lineId)).toEqual(["866550311766439020", "141249953214522974"]);
  });

  it("keeps them from the numeric ids alone (no admin_graphql_api_id), from text and from bytes", () => {
    const text = fixture("orders-cancelled-big-integer-ids").replace(/\s*"admin_graphql_api_id": "[^"]*",/g, "");
    expect(text).not.toContain("gid://");
    for (const body of [text, new TextEncoder().encode(text)]) {
      const [cancellation] = shopifyAdapter.parse(body).cancellations;
      expect(cancellation?.orderId).toBe("820982911946154508");
      expect(cancellation?.lines.map((line) => line.lineId)).toEqual(["866550311766439020", "141249953214522974"]);
    }
  });

  it("keeps refunds/create order_id and line_item_id, which have no global id", () => {
    const [cancellation] = shopifyAdapter.parse(fixture("refunds-create-big-integer-ids")).cancellations;
    expect(cancellation?.orderId).toBe("820982911946154508");
    expect(cancellation?.lines.map((line) => line.lineId)).toEqual(["866550311766439020"]);
  });

  it("refuses an already parsed body whose id lost digits, rather than using a wrong id", () => {
    const parsed = JSON.parse(fixture("refunds-create-big-integer-ids"));
    expect(parsed.order_id).toBe(820982911946154500);
    expect(rejection(parsed).path).toBe("order_id");
  });
});
