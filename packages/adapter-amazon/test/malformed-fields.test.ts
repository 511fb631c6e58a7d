import { readFileSync } from "node:fs";
import { payloadRefusal } from "@restock/core/testing";
import { describe, it } from "vitest";
import { amazonAdapter } from "../src/index.js";

// The kit checks that each malformed-* fixture is refused naming some field; these are the fields
// their names say, so a refusal that names the wrong one (the order id for a bad quantity) fails.
const refusals: [fixture: string, field: string][] = [
  ["malformed-order-acknowledgement-failure-without-items.xml", "AmazonEnvelope.Message[0].OrderAcknowledgement.Item"],
  ["malformed-order-acknowledgement-missing-order-id.xml", "AmazonEnvelope.Message[0].OrderAcknowledgement.AmazonOrderID"],
  ["malformed-order-acknowledgement-quantity-negative.json", "AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].Quantity"],
  ["malformed-order-acknowledgement-quantity-not-a-number.xml", "AmazonEnvelope.Message[0].OrderAcknowledgement.Item[0].Quantity"],
  ["malformed-order-acknowledgement-wrong-message-type.json", "AmazonEnvelope.MessageType"],
  [
    "malformed-order-change-buyer-cancel-flag-as-string.json",
    "Payload.OrderChangeNotification.Summary.OrderItems[0].IsBuyerRequestedCancel",
  ],
  ["malformed-order-change-duplicate-order-item-id.json", "Payload.OrderChangeNotification.Summary.OrderItems[1].OrderItemId"],
  ["malformed-order-change-missing-order-id.json", "Payload.OrderChangeNotification.AmazonOrderId"],
  ["malformed-order-change-quantity-as-string.json", "Payload.OrderChangeNotification.Summary.OrderItems[0].Quantity"],
  ["malformed-order-change-quantity-fractional.json", "Payload.OrderChangeNotification.Summary.OrderItems[0].Quantity"],
  ["malformed-order-change-quantity-negative.json", "Payload.OrderChangeNotification.Summary.OrderItems[0].Quantity"],
  ["malformed-order-change-shipped-above-ordered.json", "Payload.OrderChangeNotification.Summary.OrderItems[1].QuantityShipped"],
  ["malformed-orders-2026-missing-seller-sku.json", "order.orderItems[0].product.sellerSku"],
  ["malformed-orders-2026-order-id-number.json", "order.orderId"],
  ["malformed-orders-2026-quantity-fulfilled-above-ordered.json", "order.orderItems[0].fulfillment.quantityFulfilled"],
  [
    "malformed-orders-v0-buyer-cancel-flag-not-boolean-text.json",
    "orderItems.payload.OrderItems[0].BuyerRequestedCancel.IsBuyerRequestedCancel",
  ],
  ["malformed-orders-v0-quantity-negative.json", "orderItems.payload.OrderItems[1].QuantityOrdered"],
];

describe("malformed fixtures name the field their scenario is about", () => {
  it.each(refusals)("%s names %s", (file, field) => {
    payloadRefusal(amazonAdapter, readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8"), { path: field });
  });
});
