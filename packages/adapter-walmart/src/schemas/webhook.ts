import { z } from "@restock/core/fields";
import { EventName, IsoTime, ReasonCode, Sku, UnitCount, WalmartId } from "./fields.js";

/**
 * What every Walmart webhook delivery has: `source` names the event, `payload` holds it.
 * `ORDER_UPDATES` names the real event in `payload.subEventType`; legacy events in `source.eventType`.
 */
export const WebhookEnvelope = z.compile(
  z.object({
    source: z.object({
      eventType: EventName,
      eventId: WalmartId.optional(),
      eventTime: IsoTime.nullish(),
    }),
    payload: z.object({ subEventType: EventName.optional() }),
  }),
);
export type WebhookEnvelope = z.infer<typeof WebhookEnvelope>;

/** A webhook order line: note the field names differ from the Orders API (`quantity.measurementValue`). */
const WebhookLine = z.object({
  lineNumber: WalmartId,
  sku: Sku,
  quantity: z.object({ measurementValue: UnitCount }),
  status: z.string().min(1).max(64),
  cancellationReason: ReasonCode,
});

/** `payload.order` of `ORDER_UPDATES`, or `payload` itself for the legacy events. */
export const WebhookOrder = z.compile(
  z.object({
    purchaseOrderId: WalmartId,
    orderLines: z.array(WebhookLine),
  }),
);
export type WebhookOrder = z.infer<typeof WebhookOrder>;

/** For an ignored event the order id is only informative: keep it when it is a usable id, drop it otherwise. */
export const OrderReference = z.object({ purchaseOrderId: WalmartId.optional().catch(undefined) }).catch({});
