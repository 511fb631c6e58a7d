import { parsePayload } from "@restock/core";
import { Id, oneOrMany, ReasonText, Sku, UnitCount, uniqueIds } from "@restock/core/fields";
import { z } from "zod";
import { cancellationOf, type OrderOutcome } from "./result.js";
import { xmlReader } from "./xml.js";

const SKU_REQUIRED =
  "the SKU is required: write the seller SKU in SKU or MerchantOrderItemID (AmazonOrderItemCode is Amazon's item id, not a SKU)";

/** An Item of a cancelling acknowledgement: Amazon's item id, the seller's SKU, the cancelled units and why. */
const CancelledItem = z
  .object({
    AmazonOrderItemCode: Id,
    MerchantOrderItemID: Sku.optional(),
    SKU: Sku.optional(),
    CancelReason: ReasonText.optional(),
    Quantity: UnitCount,
  })
  .transform((item, ctx) => {
    const sku = item.SKU ?? item.MerchantOrderItemID;
    if (sku === undefined) {
      ctx.addIssue({ code: "custom", path: ["SKU"], message: SKU_REQUIRED });
      return z.NEVER;
    }
    const code = item.CancelReason?.trim();
    return { lineId: item.AmazonOrderItemCode, sku, quantity: item.Quantity, reason: code ? { code } : null };
  });

/** `StatusCode` Failure cancels the listed items; Success accepts the order and cancels nothing. */
const OrderAcknowledgement = z.discriminatedUnion("StatusCode", [
  z.object({ AmazonOrderID: Id, StatusCode: z.literal("Success") }),
  z.object({
    AmazonOrderID: Id,
    StatusCode: z.literal("Failure"),
    Item: oneOrMany(
      CancelledItem,
      "is required on a Failure acknowledgement: list each cancelled Item with its SKU and Quantity",
    ).superRefine(uniqueIds((item) => item.lineId, "AmazonOrderItemCode")),
  }),
]);

/**
 * The seller's `POST_ORDER_ACKNOWLEDGEMENT_DATA` feed. The JSON form mirrors the XML:
 * `{ "AmazonEnvelope": { "MessageType": "OrderAcknowledgement", "Message": [{ "OrderAcknowledgement": {...} }] } }`,
 * where a single Message or Item may also be written as an object.
 */
const OrderAcknowledgementFeed = z.compile(
  z.object({
    AmazonEnvelope: z.object(
      {
        MessageType: z.literal("OrderAcknowledgement"),
        Message: oneOrMany(z.object({ OrderAcknowledgement }), "is required: the feed has no Message"),
      },
      { error: (issue) => (issue.input === undefined ? "is required: this is not an Amazon feed (no AmazonEnvelope root)" : undefined) },
    ),
  }),
);

export const readFeedXml = xmlReader(["AmazonEnvelope.Message", "AmazonEnvelope.Message.OrderAcknowledgement.Item"]);

const KIND = "OrderAcknowledgement";

/** One cancellation per Failure message, with each Item's cumulative cancelled units and CancelReason. */
export function readOrderAcknowledgementFeed(document: unknown): OrderOutcome[] {
  const feed = parsePayload(OrderAcknowledgementFeed, document);
  return feed.AmazonEnvelope.Message.map(({ OrderAcknowledgement: ack }): OrderOutcome => {
    const orderId = ack.AmazonOrderID;
    if (ack.StatusCode === "Success") {
      return { kind: KIND, reason: "not_a_cancellation", orderId, detail: "StatusCode Success: the seller accepted the order" };
    }
    const lines = ack.Item.map((item) => (item.quantity > 0 ? item : undefined));
    return cancellationOf({ orderId, occurredAt: null }, lines, {
      kind: KIND,
      reason: "not_a_cancellation",
      orderId,
      detail: "no Item has a cancelled Quantity",
    });
  });
}
