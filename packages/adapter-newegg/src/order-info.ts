import { type Cancellation, type IgnoredEvent, type ParseResult, toParseResult } from "@restock/core";
import { z } from "@restock/core/fields";
import { Count, Flag, oneOrMany, orderNumber } from "./fields.js";
import { ITEM_CANCELED, ItemList, unshippedLines } from "./item-info.js";
import { AUTO_VOID } from "./reasons.js";

/** `OrderStatus` 4: Voided (0 Unshipped, 1 Partially Shipped, 2 Shipped, 3 Invoiced). */
const VOIDED = 4;

const OrderInfo = z.object({
  OrderNumber: orderNumber(),
  OrderStatus: Count,
  OrderStatusDescription: z.string().max(64).optional(),
  IsAutoVoid: Flag.optional(),
  ItemInfoList: z.object({ ItemInfo: ItemList }),
});
type OrderInfo = z.infer<typeof OrderInfo>;

/** A Get Order Information response (`PUT /ordermgmt/order/orderinfo`), read by polling. */
export const OrderInfoResponse = z.compile(
  z.object({
    NeweggAPIResponse: z.object({
      IsSuccess: Flag.optional().refine((success) => success !== false, "the response reports a failure"),
      ResponseBody: z.object({
        // An empty page has no OrderInfoList.
        OrderInfoList: z.object({ OrderInfo: oneOrMany(OrderInfo) }).nullish(),
      }),
    }),
  }),
);
export type OrderInfoResponse = z.infer<typeof OrderInfoResponse>;

/**
 * A voided order cancels every item's unshipped units; otherwise an item with Status 3 is a
 * cancelled line. The read API carries no reason code; an auto-void is reported as AUTO_VOID.
 */
function evaluateOrder(order: OrderInfo): Cancellation | IgnoredEvent {
  const voided = order.OrderStatus === VOIDED;
  const items = order.ItemInfoList.ItemInfo;
  const reason = voided && order.IsAutoVoid === true ? { code: AUTO_VOID, derived: true } : null;
  const lines = unshippedLines(voided ? items : items.filter((item) => item.Status === ITEM_CANCELED), reason);
  if (lines.length === 0) {
    const status = `OrderStatus ${order.OrderStatus}${order.OrderStatusDescription ? ` (${order.OrderStatusDescription})` : ""}`;
    const detail = voided ? `${status}: every unit had shipped` : `${status}: no cancelled item with unshipped units`;
    return { kind: "GetOrderInfo", reason: "not_a_cancellation", orderId: order.OrderNumber, detail };
  }
  return { marketplace: "newegg", orderId: order.OrderNumber, occurredAt: null, lines };
}

export function evaluateOrderInfo(response: OrderInfoResponse): ParseResult {
  return toParseResult((response.NeweggAPIResponse.ResponseBody.OrderInfoList?.OrderInfo ?? []).map((order) => evaluateOrder(order)));
}
