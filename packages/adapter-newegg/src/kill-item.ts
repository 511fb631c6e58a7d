import type { ParseResult } from "@restock/core";
import { z } from "@restock/core/fields";
import { orderNumber } from "./fields.js";
import { ItemList, unshippedLines } from "./item-info.js";

/**
 * A Remove Item request (`PUT /ordermgmt/killitem/orders/{n}`, `OperationType` KillItemRequest)
 * removes whole lines by `SellerPartNumber`, with no quantity and no reason code. Newegg's body has
 * neither the order number (it is in the URL) nor quantities, so the host adds
 * `RequestBody.KillItem.Order.OrderNumber` and each item's `OrderedQty` (and `ShippedQty` if any
 * shipped); a body without them is rejected rather than guessed.
 */
export const KillItemRequest = z.compile(
  z.object({
    OperationType: z.literal("KillItemRequest"),
    RequestBody: z.object({
      KillItem: z.object({
        Order: z.object({
          OrderNumber: orderNumber("required: the host adds the order number from the request URL"),
          ItemList: z.object({ Item: ItemList }),
        }),
      }),
    }),
  }),
);
export type KillItemRequest = z.infer<typeof KillItemRequest>;

/** Each removed item's unshipped units are cancelled, with no reason. */
export function evaluateKillItem(request: KillItemRequest): ParseResult {
  const order = request.RequestBody.KillItem.Order;
  const orderId = order.OrderNumber;
  const lines = unshippedLines(order.ItemList.Item, null);
  if (lines.length === 0) {
    const detail = "every removed item had shipped: nothing left to cancel";
    return { cancellations: [], ignored: [{ kind: "KillItemRequest", reason: "not_a_cancellation", orderId, detail }] };
  }
  return { cancellations: [{ marketplace: "newegg", orderId, occurredAt: null, lines }], ignored: [] };
}
