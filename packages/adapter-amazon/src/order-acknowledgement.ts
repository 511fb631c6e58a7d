import { parsePayload } from "@restock/core";
import { Id, oneOrMany, ReasonText, Sku, UnitCount, uniqueIds, z } from "@restock/core/fields";
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

type Message = { OrderAcknowledgement: z.output<typeof OrderAcknowledgement> };

/**
 * Across the feed, one order's AmazonOrderItemCode is cancelled by at most one Item. Each Item
 * reports its line's cumulative cancelled units and the ledger keeps one count per (order, item
 * code), so a second Item for the same line, in another Message, would be read as a later total of
 * the first: its units lost, or counted twice. Neither Amazon's feed documentation (as researched)
 * nor the rule book describes successive acknowledgements of one order in a feed to be merged, and
 * a merge cannot tell whether the second Item adds units or restates them, so the feed is refused,
 * naming the second Item; the worker keeps the body. Messages for one order with different item
 * codes touch different ledger lines and stay as they are, one cancellation each. Success messages
 * cancel nothing and are not counted.
 */
function uniqueOrderLines(messages: readonly Message[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  messages.forEach(({ OrderAcknowledgement: ack }, m) => {
    if (ack.StatusCode !== "Failure") return;
    ack.Item.forEach((item, i) => {
      const key = JSON.stringify([ack.AmazonOrderID, item.lineId]);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, `Message[${m}].OrderAcknowledgement.Item[${i}]`);
        return;
      }
      ctx.addIssue({
        code: "custom",
        path: [m, "OrderAcknowledgement", "Item", i, "AmazonOrderItemCode"],
        message:
          `AmazonOrderItemCode "${item.lineId}" of AmazonOrderID "${ack.AmazonOrderID}" appears twice (first in ${first}): ` +
          "send one Item per order line, with its cumulative cancelled Quantity",
      });
    });
  });
}

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
        Message: oneOrMany(z.object({ OrderAcknowledgement }), "is required: the feed has no Message").superRefine(uniqueOrderLines),
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
