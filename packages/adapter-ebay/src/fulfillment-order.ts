import { parsePayload } from "@restock/core";
import { Id, ReasonText, Timestamp, uniqueIds, z } from "@restock/core/fields";
import { cancelledLineItems, LineItems } from "./line-items.js";
import { cancellationOf, type OrderOutcome, reasonOf } from "./result.js";

const State = z.string().min(1).max(64);

const CancelRequest = z.object({
  cancelRequestId: Id.optional(),
  cancelRequestState: State,
  cancelReason: ReasonText.optional(),
  cancelCompletedDate: Timestamp.optional(),
});

/** Sell Fulfillment API `Order` (getOrder, or one of getOrders' `orders`), the fields read. */
const Order = z.compile(
  z.object({
    orderId: Id,
    cancelStatus: z.object({
      cancelState: State,
      cancelRequests: z.array(CancelRequest).optional(),
    }),
    lineItems: LineItems,
  }),
);
type Order = z.infer<typeof Order>;

// Each element of `orders` is one whole order as eBay last saw it. The same orderId twice is two
// snapshots of one order that can disagree (its lines, quantities, cancelState) while the ledger
// keeps one cumulative count per (order, lineItemId). Nothing documents a page that lists an order
// twice, so a repeat is refused, naming the second (the worker keeps the body), not merged by guess.
const GetOrdersResponse = z.compile(z.object({ orders: z.array(Order).superRefine(uniqueIds((order) => order.orderId, "orderId")) }));

/**
 * Acts only on a completed cancellation (`cancelState` CANCELED, or a request COMPLETED): every
 * line at its full quantity, with the completed request's `cancelReason`. Requests that are
 * open, in progress or rejected are ignored.
 */
function orderOutcome(order: Order): OrderOutcome {
  const { orderId, cancelStatus } = order;
  const { cancelState } = cancelStatus;
  const requests = cancelStatus.cancelRequests ?? [];
  const completed = requests.find((request) => request.cancelRequestState === "COMPLETED");
  if (cancelState === "CANCELED" || completed) {
    const facts = { orderId, cancellationId: completed?.cancelRequestId, occurredAt: completed?.cancelCompletedDate ?? null };
    const lines = cancelledLineItems(order.lineItems, reasonOf(completed?.cancelReason));
    return cancellationOf(facts, lines, { kind: cancelState, reason: "not_a_cancellation", orderId, detail: "every line had shipped" });
  }
  const inState = (state: string) => requests.some((request) => request.cancelRequestState === state);
  if (inState("REQUESTED")) return { kind: "REQUESTED", reason: "cancel_requested", orderId, detail: `cancelState ${cancelState}` };
  if (cancelState === "IN_PROGRESS") return { kind: cancelState, reason: "cancel_pending", orderId };
  if (inState("REJECTED")) return { kind: "REJECTED", reason: "cancel_rejected", orderId, detail: `cancelState ${cancelState}` };
  return { kind: cancelState, reason: "not_a_cancellation", orderId };
}

export function readFulfillmentOrder(document: unknown): OrderOutcome[] {
  return [orderOutcome(parsePayload(Order, document))];
}

export function readFulfillmentOrders(document: unknown): OrderOutcome[] {
  const { orders } = parsePayload(GetOrdersResponse, document);
  if (orders.length === 0) return [{ kind: "getOrders", reason: "not_a_cancellation", detail: "the response holds no orders" }];
  return orders.map(orderOutcome);
}
