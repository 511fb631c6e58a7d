import { z } from "zod";
import { Count, Id, ReasonText, Sku } from "../../src/fields.js";
import { defineAdapter, parsePayload, readJson } from "../../src/index.js";

// A minimal adapter in the shape a real one has, used to test the engine and the kit itself.
const Payload = z.object({
  order: z.object({
    id: Id,
    status: z.enum(["cancelled", "cancel_requested", "open"]),
    reason: ReasonText.nullable().optional(),
    lines: z
      .array(
        z.object({
          id: Id,
          sku: Sku,
          ordered: Count.min(1),
          cancelled: Count,
        }),
      )
      .min(1),
  }),
});

export const exampleAdapter = defineAdapter({
  id: "example",
  displayName: "Example",
  contractVersion: 1,
  version: "1.0.0",
  reasons: [
    { code: "CUSTOMER", label: "Customer", outcome: "restore", origin: "spec" },
    { code: "OUT_OF_STOCK", label: "Out of stock", outcome: "do_not_restore", origin: "spec" },
    { code: "OTHER", label: "Other", outcome: "ambiguous", origin: "extended" },
  ],
  parse(raw) {
    const { order } = parsePayload(Payload, readJson(raw));
    if (order.status === "cancel_requested") {
      return { cancellations: [], ignored: [{ kind: "cancel_requested", reason: "cancel_requested", orderId: order.id }] };
    }
    const lines = order.lines
      .filter((line) => line.cancelled > 0)
      .map((line) => ({
        lineId: line.id,
        sku: line.sku,
        quantity: Math.min(line.cancelled, line.ordered),
        orderedQuantity: line.ordered,
        reason: order.reason ? { code: order.reason } : null,
      }));
    if (order.status !== "cancelled" || lines.length === 0) {
      return { cancellations: [], ignored: [{ kind: order.status, reason: "not_a_cancellation", orderId: order.id }] };
    }
    return { cancellations: [{ marketplace: "example", orderId: order.id, occurredAt: null, lines }], ignored: [] };
  },
});
