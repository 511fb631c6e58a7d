import { findReasonRow, parsePayload, type Reason } from "@restock/core";
import { Count, Id, ReasonText, Sku, uniqueIds, z } from "@restock/core/fields";
import { amazonReasons } from "./reasons.js";
import { buyerCanceled, cancellationOf, type OrderOutcome, unshippedLine } from "./result.js";

const CancellationExecution = z.object({ cancelledBy: z.string().max(64).optional(), cancelReason: ReasonText.optional() });

const OrderItem = z
  .object({
    orderItemId: Id,
    quantityOrdered: Count,
    product: z.object({ sellerSku: Sku }),
    cancellation: z
      .object({
        cancellationRequest: z.object({ requester: z.string().max(64).optional() }).optional(),
        cancellationExecution: CancellationExecution.optional(),
      })
      .optional(),
    fulfillment: z.object({ quantityFulfilled: Count.optional(), quantityUnfulfilled: Count.optional() }).optional(),
  })
  .refine((item) => (item.fulfillment?.quantityFulfilled ?? 0) <= item.quantityOrdered, {
    path: ["fulfillment", "quantityFulfilled"],
    message: "is above quantityOrdered",
  })
  .refine((item) => (item.fulfillment?.quantityUnfulfilled ?? 0) <= item.quantityOrdered, {
    path: ["fulfillment", "quantityUnfulfilled"],
    message: "is above quantityOrdered",
  });
type OrderItem = z.infer<typeof OrderItem>;

const Order = z.object({
  orderId: Id,
  fulfillment: z.object({ fulfillmentStatus: z.string().min(1).max(64).optional(), fulfilledBy: z.string().max(64).optional() }).optional(),
  orderItems: z.array(OrderItem).superRefine(uniqueIds((item) => item.orderItemId, "orderItemId")),
});
type Order = z.infer<typeof Order>;

/** `getOrder` (`{ order }`) and `searchOrders` (`{ orders: [...] }`) of Orders API 2026-01-01. */
const GetOrderResponse = z.compile(z.object({ order: Order }));
// Each element of `orders` is one whole order as Amazon last saw it. The same orderId twice is two
// snapshots of one order that can disagree (its items, quantities, status) while the ledger keeps
// one cumulative count per (order, orderItemId). Nothing documents a page that lists an order twice,
// so a repeat is refused, naming the second (the worker keeps the body), rather than merged by guess.
const SearchOrdersResponse = z.compile(z.object({ orders: z.array(Order).superRefine(uniqueIds((order) => order.orderId, "orderId")) }));

/**
 * Its `cancelReason` is free text, kept as the raw code (the rules record the raw code): core finds
 * its row by normalized key ("No Inventory" is NoInventory's); text matching no row is an unknown
 * code, labelled with itself.
 */
function executionReason(execution: z.infer<typeof CancellationExecution>): Reason | null {
  if (execution.cancelledBy === "BUYER") return buyerCanceled();
  const text = execution.cancelReason?.trim();
  if (!text) return null;
  return findReasonRow(amazonReasons, text) ? { code: text } : { code: text, label: text };
}

/** Units already fulfilled (shipped): `quantityFulfilled`, or ordered minus `quantityUnfulfilled` when only that is given. */
function shippedUnits(item: OrderItem): number {
  const fulfillment = item.fulfillment;
  if (fulfillment?.quantityFulfilled !== undefined) return fulfillment.quantityFulfilled;
  if (fulfillment?.quantityUnfulfilled !== undefined) return item.quantityOrdered - fulfillment.quantityUnfulfilled;
  return 0;
}

function orderOutcome(order: Order): OrderOutcome {
  const { orderId } = order;
  const status = order.fulfillment?.fulfillmentStatus ?? "Order";
  if (order.fulfillment?.fulfilledBy === "AMAZON") {
    return {
      kind: status,
      reason: "fulfilled_by_marketplace",
      orderId,
      detail: "fulfilled by Amazon: the inventory is Amazon's, not the seller's",
    };
  }
  // A CANCELLED order cancelled all its items: one read without includedData=CANCELLATION has no
  // blocks, and an item may show only its request. Those have no reason. In an order not cancelled,
  // only an item with a cancellationExecution is; one with a request alone is not (yet).
  const orderCancelled = status === "CANCELLED";
  const lines = order.orderItems.map((item) => {
    const execution = item.cancellation?.cancellationExecution;
    if (!execution && !orderCancelled) return undefined;
    const reason = execution ? executionReason(execution) : null;
    return unshippedLine(item.orderItemId, item.product.sellerSku, item.quantityOrdered, shippedUnits(item), reason);
  });
  const requested = order.orderItems.some((item) => item.cancellation?.cancellationRequest && !item.cancellation.cancellationExecution);
  const nothingCancelled: OrderOutcome = requested
    ? { kind: "cancellationRequest", reason: "cancel_requested", orderId, detail: "a cancellation was requested and not executed" }
    : { kind: status, reason: "not_a_cancellation", orderId, detail: "no item has a cancellationExecution" };
  return cancellationOf({ orderId, occurredAt: null }, lines, nothingCancelled);
}

/** `getOrder`: the order's items with a `cancellationExecution` cancel their unshipped units; a request alone cancels nothing. */
export function readGetOrder2026(document: unknown): OrderOutcome[] {
  return [orderOutcome(parsePayload(GetOrderResponse, document).order)];
}

/** `searchOrders`: each order on its own. */
export function readSearchOrders2026(document: unknown): OrderOutcome[] {
  const { orders } = parsePayload(SearchOrdersResponse, document);
  if (orders.length === 0) return [{ kind: "searchOrders", reason: "not_a_cancellation", detail: "the search returned no orders" }];
  return orders.map(orderOutcome);
}
