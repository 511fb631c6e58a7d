import { readFileSync } from "node:fs";
import { payloadRefusal } from "@restock/core/testing";
import { describe, it } from "vitest";
import { ebayAdapter } from "../src/index.js";

// The kit checks that each malformed-* fixture is refused naming some field; these are the fields
// their names say, so a refusal that names the wrong one (the order id for a bad quantity) fails.
const refusals: [fixture: string, field: string][] = [
  ["malformed-fulfillment-order-completed-date-not-iso.json", "cancelStatus.cancelRequests[0].cancelCompletedDate"],
  ["malformed-fulfillment-order-line-items-not-an-array.json", "lineItems"],
  ["malformed-fulfillment-order-missing-order-id.json", "orderId"],
  ["malformed-fulfillment-order-quantity-as-string.json", "lineItems[1].quantity"],
  ["malformed-fulfillment-order-quantity-fractional.json", "lineItems[0].quantity"],
  ["malformed-fulfillment-order-quantity-negative.json", "lineItems[0].quantity"],
  ["malformed-post-order-cancellation-line-quantity-fractional.json", "lineItems[1].quantity"],
  ["malformed-post-order-cancellation-missing-legacy-order-id.json", "cancelDetail.legacyOrderId"],
  ["malformed-trading-order-missing-order-id.xml", "Order.OrderID"],
  ["malformed-trading-order-missing-sku.xml", "Order.TransactionArray.Transaction[0].Item.SKU"],
  ["malformed-trading-order-quantity-fractional.xml", "Order.TransactionArray.Transaction[0].QuantityPurchased"],
];

describe("malformed fixtures name the field their scenario is about", () => {
  it.each(refusals)("%s names %s", (file, field) => {
    payloadRefusal(ebayAdapter, readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8"), { path: field });
  });
});
