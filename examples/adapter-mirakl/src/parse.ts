import { type Cancellation, formatPath, type IgnoredEvent, type ParseResult, PayloadError, parsePayload, readJson } from "@restock/core";
import { cancelledLine, occurredAt } from "./cancelled-line.js";
import { MiraklOrder, MiraklOrderPage } from "./payload-schema.js";

type Accumulator = { cancellations: Cancellation[]; ignored: IgnoredEvent[] };

function addOrder(marketplace: string, order: MiraklOrder, path: readonly (string | number)[], into: Accumulator): void {
  const seen = new Set<string>();
  for (const [index, line] of order.order_lines.entries()) {
    if (seen.has(line.order_line_id)) {
      const where = formatPath([...path, "order_lines", index, "order_line_id"]);
      throw new PayloadError(`order line id ${line.order_line_id} appears twice`, where);
    }
    seen.add(line.order_line_id);
  }
  const lines = order.order_lines.flatMap((line) => cancelledLine(order, line) ?? []);
  if (lines.length === 0) {
    // An order that cancels nothing (accepted, shipping, refused...) is recognised and moves no inventory.
    into.ignored.push({ kind: order.order_state, reason: "not_a_cancellation", orderId: order.order_id });
    return;
  }
  into.cancellations.push({ marketplace, orderId: order.order_id, occurredAt: occurredAt(order), lines });
}

/**
 * The parse function of one Mirakl operator's adapter. Accepts an OR11 page (`{ orders: [...] }`)
 * or a single order object, as text, bytes or parsed JSON. Pure; throws only PayloadError.
 */
export function createMiraklParser(marketplace: string): (raw: unknown) => ParseResult {
  return (raw) => {
    const json = readJson(raw);
    const result: Accumulator = { cancellations: [], ignored: [] };
    if (json !== null && typeof json === "object" && !Array.isArray(json) && "orders" in json) {
      const page = parsePayload(MiraklOrderPage, json);
      for (const [index, order] of page.orders.entries()) addOrder(marketplace, order, ["orders", index], result);
    } else {
      addOrder(marketplace, parsePayload(MiraklOrder, json), [], result);
    }
    return result;
  };
}
