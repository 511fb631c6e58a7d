import type { ParseResult } from "@restock/core";
import { z } from "@restock/core/fields";
import { Count, orderNumber, ReasonValue } from "./fields.js";
import { ItemList, unshippedLines } from "./item-info.js";

/** `Action` 1 cancels the order (2 ships it). */
const CANCEL = 1;

/**
 * The cancel request a seller sends (`PUT /ordermgmt/orderstatus/orders/{n}`, body
 * `{"Action":"1","Value":"72"}`) names neither the order nor its items, so the host sends this
 * envelope: the order number from the URL, the request body, and the order's items as Get Order
 * Information lists them.
 */
export const CancelRequestEnvelope = z.compile(
  z.object({
    OrderNumber: orderNumber(),
    UpdateOrderStatus: z.object({ Action: Count, Value: ReasonValue }),
    ItemInfoList: z.object({ ItemInfo: ItemList }),
  }),
);
export type CancelRequestEnvelope = z.infer<typeof CancelRequestEnvelope>;

/** A cancel request cancels the whole order: every item's unshipped units, with the request's code. */
export function evaluateCancelRequest(envelope: CancelRequestEnvelope): ParseResult {
  const { OrderNumber: orderId, UpdateOrderStatus: request } = envelope;
  if (request.Action !== CANCEL) {
    const detail = `Action ${request.Action} is not a cancellation (Action 1 cancels)`;
    return { cancellations: [], ignored: [{ kind: "UpdateOrderStatus", reason: "not_a_cancellation", orderId, detail }] };
  }
  const lines = unshippedLines(envelope.ItemInfoList.ItemInfo, request.Value === undefined ? null : { code: request.Value });
  if (lines.length === 0) {
    const detail = "every unit had shipped: nothing left to cancel";
    return { cancellations: [], ignored: [{ kind: "UpdateOrderStatus", reason: "not_a_cancellation", orderId, detail }] };
  }
  return { cancellations: [{ marketplace: "newegg", orderId, occurredAt: null, lines }], ignored: [] };
}
