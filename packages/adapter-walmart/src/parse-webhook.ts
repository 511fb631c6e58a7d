import { formatPath, type IgnoredEvent, type IgnoreReason, MAX_UNITS, type ParseResult, PayloadError, parsePayload } from "@restock/core";
import { type CancelledSlice, reasonFrom, tallyCancelledLines } from "./cancelled-lines.js";
import { isCancelledStatus } from "./parse-orders-api.js";
import { OrderReference, WebhookEnvelope, WebhookOrder } from "./schemas/webhook.js";

/** Events that report lines Walmart has already cancelled. Their name is the reason when a line carries none. */
const CANCELLING_EVENTS = new Set(["PO_LINE_AUTOCANCELLED", "FRAUD_CANCEL"]);

/** Recognised events that move no inventory. Any other event name is ignored the same way, never rejected. */
const IGNORED_EVENTS: Record<string, { reason: IgnoreReason; detail: string }> = {
  INTENT_TO_CANCEL: { reason: "cancel_requested", detail: "the customer asked to cancel; the order is not cancelled yet" },
  PO_CREATED: { reason: "not_a_cancellation", detail: "a new purchase order" },
};

/**
 * A Walmart webhook: `ORDER_UPDATES` (the event is `payload.subEventType`, the order
 * `payload.order`) or a legacy event (the event is `source.eventType`, the order is `payload`).
 */
export function parseWebhook(document: Record<string, unknown>): ParseResult {
  const { source, payload } = parsePayload(WebhookEnvelope, document);
  const body = document.payload as Record<string, unknown>;
  const legacy = source.eventType !== "ORDER_UPDATES";
  const event = legacy ? source.eventType : payload.subEventType;
  if (event === undefined) throw new PayloadError("an ORDER_UPDATES event names its sub-event", "payload.subEventType");
  const rawOrder = legacy ? body : body.order;

  if (!CANCELLING_EVENTS.has(event)) {
    const known = IGNORED_EVENTS[event];
    const ignored: IgnoredEvent = {
      kind: event,
      reason: known?.reason ?? "not_a_cancellation",
      detail: known?.detail ?? "this event cancels nothing",
    };
    const { purchaseOrderId } = OrderReference.parse(rawOrder);
    if (purchaseOrderId !== undefined) ignored.orderId = purchaseOrderId;
    return { cancellations: [], ignored: [ignored] };
  }

  const orderPath = legacy ? ["payload"] : ["payload", "order"];
  const order = parsePayload(WebhookOrder, rawOrder, orderPath);
  const slices: CancelledSlice[] = [];
  // A webhook gives no ordered quantity to cap a line's total, so slices of one line must not add
  // up past the canonical bound (each is below it, their sum may not be).
  const cancelledUnits = new Map<string, number>();
  order.orderLines.forEach((line, index) => {
    if (!isCancelledStatus(line.status)) return;
    const units = (cancelledUnits.get(line.lineNumber) ?? 0) + line.quantity.measurementValue;
    if (units > MAX_UNITS) {
      throw new PayloadError(
        `the cancelled units of line "${line.lineNumber}" add up to more than ${MAX_UNITS}`,
        formatPath([...orderPath, "orderLines", index, "quantity", "measurementValue"]),
      );
    }
    cancelledUnits.set(line.lineNumber, units);
    slices.push({
      lineId: line.lineNumber,
      sku: line.sku,
      units: line.quantity.measurementValue,
      // Walmart leaves cancellationReason empty on its own cancellations: the event says why.
      reason: reasonFrom(line.cancellationReason) ?? { code: event, derived: true },
    });
  });
  const { lines, mixedReasons } = tallyCancelledLines(slices);
  if (lines.length === 0) {
    return {
      cancellations: [],
      ignored: [
        { kind: event, reason: "not_a_cancellation", orderId: order.purchaseOrderId, detail: "no order line has status CANCELLED" },
      ],
    };
  }
  return {
    cancellations: [
      {
        marketplace: "walmart",
        orderId: order.purchaseOrderId,
        ...(source.eventId === undefined ? {} : { cancellationId: source.eventId }),
        occurredAt: source.eventTime ?? null,
        lines,
        ...(mixedReasons.length > 0 ? { note: mixedReasons.join("; ").slice(0, 4096) } : {}),
      },
    ],
    ignored: [],
  };
}
