import { type IgnoreReason, parsePayload } from "@restock/core";
import { Id, oneOrMany, ReasonText, Sku, Timestamp, UnitCount, uniqueIds, z } from "@restock/core/fields";
import { cancellationOf, type OrderOutcome, reasonOf, wholeLine } from "./result.js";
import { xmlReader } from "./xml.js";

const SKU_REQUIRED = "the SKU is required: give Item.SKU or Variation.SKU (a line without one cannot be matched to the seller's inventory)";

/** A `Transaction` (one order line): its id, the SKU (the variation's when there is one), the units bought. */
const Transaction = z
  .object({
    OrderLineItemID: Id.optional(),
    TransactionID: Id.optional(),
    Item: z.object({ SKU: Sku.optional() }).optional(),
    Variation: z.object({ SKU: Sku.optional() }).optional(),
    QuantityPurchased: UnitCount,
    ShippedTime: z.string().max(64).optional(),
  })
  .transform((transaction, ctx) => {
    const lineId = transaction.OrderLineItemID ?? transaction.TransactionID;
    const sku = transaction.Variation?.SKU ?? transaction.Item?.SKU;
    if (lineId === undefined) ctx.addIssue({ code: "custom", path: ["OrderLineItemID"], message: "is required (or TransactionID)" });
    if (sku === undefined) ctx.addIssue({ code: "custom", path: ["Item", "SKU"], message: SKU_REQUIRED });
    if (lineId === undefined || sku === undefined) return z.NEVER;
    return { lineId, sku, quantity: transaction.QuantityPurchased, shipped: Boolean(transaction.ShippedTime) };
  });

const Order = z.object({
  OrderID: Id,
  OrderStatus: z.string().min(1).max(64).optional(),
  CancelStatus: z.string().min(1).max(64).optional(),
  CancelReason: ReasonText.optional(),
  CancelDetail: oneOrMany(z.object({ CancelReason: ReasonText.optional(), CancelCompleteDate: Timestamp.optional() })).optional(),
  TransactionArray: z.object({ Transaction: oneOrMany(Transaction).superRefine(uniqueIds((line) => line.lineId, "OrderLineItemID")) }),
});
type Order = z.infer<typeof Order>;

/** `GetOrdersResponse/OrderArray/Order`, or a bare `Order` document. */
const GetOrdersResponse = z.compile(
  z.object({
    GetOrdersResponse: z.object(
      {
        Ack: z
          .string()
          .max(32)
          .refine((ack) => ack !== "Failure", "is Failure: the call failed and returned no orders")
          .optional(),
        // An empty <OrderArray/> reads as "".
        // Each Order is one whole order (a combined order carries all its transactions). The same
        // OrderID twice is two snapshots that can disagree (transactions, quantities, CancelStatus)
        // while the ledger keeps one cumulative count per (order, OrderLineItemID); nothing documents
        // a response listing an order twice, so a repeat is refused, naming the second, not merged.
        OrderArray: z.preprocess(
          (value) => (value === "" ? undefined : value),
          z.object({ Order: oneOrMany(Order).superRefine(uniqueIds((order) => order.OrderID, "OrderID")) }).optional(),
        ),
      },
      {
        error: (issue) =>
          issue.input === undefined ? "is required: this is not a Trading GetOrders response (GetOrdersResponse or Order root)" : undefined,
      },
    ),
  }),
);
const BareOrder = z.compile(z.object({ Order }));

export const readTradingXml = xmlReader([
  "GetOrdersResponse.OrderArray.Order",
  "GetOrdersResponse.OrderArray.Order.CancelDetail",
  "GetOrdersResponse.OrderArray.Order.TransactionArray.Transaction",
  "Order.CancelDetail",
  "Order.TransactionArray.Transaction",
]);

const IGNORED = new Map<string, IgnoreReason>([
  ["CancelRequested", "cancel_requested"],
  ["CancelPending", "cancel_pending"],
  ["CancelRejected", "cancel_rejected"],
  ["CancelFailed", "cancel_rejected"],
]);

const isCompleted = (status: string | undefined) => status === "CancelComplete" || status?.startsWith("CancelClosed") === true;

/**
 * `CancelComplete` / `CancelClosed*` cancel every line not yet shipped. An order `Cancelled` with
 * no cancel process on record (no or another `CancelStatus`) is cancelled too, with no reason.
 */
function orderOutcome(order: Order): OrderOutcome {
  const { OrderID: orderId, CancelStatus: status } = order;
  const ignored = status === undefined ? undefined : IGNORED.get(status);
  if (status !== undefined && ignored !== undefined) return { kind: status, reason: ignored, orderId };
  if (!isCompleted(status) && order.OrderStatus !== "Cancelled") {
    return {
      kind: status ?? order.OrderStatus ?? "Order",
      reason: "not_a_cancellation",
      orderId,
      detail: `OrderStatus ${order.OrderStatus ?? "absent"}`,
    };
  }
  // An order may hold several cancel requests (a buyer's that went nowhere, then the seller's that
  // completed it): the completed one's reason and time are the cancellation's; else the latest's.
  const details = order.CancelDetail ?? [];
  const detail = details.findLast((entry) => entry.CancelCompleteDate !== undefined) ?? details.at(-1);
  const unpaid = status === "CancelClosedForCommitment";
  const reason =
    reasonOf(order.CancelReason) ??
    reasonOf(detail?.CancelReason) ??
    (unpaid ? { code: "CancelClosedForCommitment", derived: true } : null);
  const lines = order.TransactionArray.Transaction.map((line) => wholeLine(line.lineId, line.sku, line.quantity, line.shipped, reason));
  return cancellationOf({ orderId, occurredAt: detail?.CancelCompleteDate ?? null }, lines, {
    kind: status ?? "Cancelled",
    reason: "not_a_cancellation",
    orderId,
    detail: "every line had shipped",
  });
}

export function readTradingDocument(document: unknown): OrderOutcome[] {
  if (typeof document === "object" && document !== null && "Order" in document)
    return [orderOutcome(parsePayload(BareOrder, document).Order)];
  const orders = parsePayload(GetOrdersResponse, document).GetOrdersResponse.OrderArray?.Order ?? [];
  if (orders.length === 0) return [{ kind: "GetOrdersResponse", reason: "not_a_cancellation", detail: "the response holds no orders" }];
  return orders.map(orderOutcome);
}
