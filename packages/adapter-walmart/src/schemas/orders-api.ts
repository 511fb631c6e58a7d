import { z } from "@restock/core/fields";
import { OrderedUnitCount, ReasonCode, Sku, UnitCount, WalmartId } from "./fields.js";

/** `order.orderLines.orderLine[].orderLineStatuses.orderLineStatus[]`: one quantity slice of a line in one status. */
const OrderLineStatus = z.object({
  status: z.string().min(1).max(64),
  statusQuantity: z.object({ amount: UnitCount }),
  cancellationReason: ReasonCode,
});

const OrderLine = z.object({
  lineNumber: WalmartId,
  item: z.object({ sku: Sku }),
  orderLineQuantity: z.object({ amount: OrderedUnitCount }),
  orderLineStatuses: z.object({ orderLineStatus: z.array(OrderLineStatus) }),
});

/** A purchase order as `GET /v3/orders/{purchaseOrderId}` returns it (the fields this adapter reads). */
export const Order = z.object({
  purchaseOrderId: WalmartId,
  orderLines: z.object({ orderLine: z.array(OrderLine) }),
});
export type Order = z.infer<typeof Order>;

export const OrderResponse = z.compile(z.object({ order: Order }));

/** `GET /v3/orders` wraps its orders as `list.elements.order[]`. */
export const OrderListResponse = z.compile(
  z.object({
    list: z.object({ elements: z.object({ order: z.array(Order) }) }),
  }),
);
