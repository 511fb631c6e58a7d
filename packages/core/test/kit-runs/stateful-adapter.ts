import type { Adapter, CancelledLine } from "../../src/index.js";
import { exampleAdapter } from "../example-adapter/example-adapter.js";

/**
 * The example adapter reporting each line's new units since its previous call (`quantity -
 * lastSeen`, from a map it keeps) instead of the cumulative total the contract asks for: every
 * parse of a payload after the first gives another result, and the later parses agree with one another.
 */
export function statefulAdapter(): Adapter {
  const lastSeen = new Map<string, number>();
  const newUnits = (orderId: string, line: CancelledLine): CancelledLine[] => {
    const key = `${orderId}\u0000${line.lineId}`;
    const seen = lastSeen.get(key) ?? 0;
    lastSeen.set(key, Math.max(line.quantity, seen));
    return line.quantity > seen ? [{ ...line, quantity: line.quantity - seen }] : [];
  };
  return {
    ...exampleAdapter,
    parse(raw) {
      const result = exampleAdapter.parse(raw);
      const cancellations = result.cancellations.flatMap((cancellation) => {
        const lines = cancellation.lines.flatMap((line) => newUnits(cancellation.orderId, line));
        return lines.length > 0 ? [{ ...cancellation, lines }] : [];
      });
      // A cancellation with nothing new is reported as ignored, so each parse still yields something.
      const nothingNew = result.cancellations
        .filter((cancellation) => !cancellations.some((kept) => kept.orderId === cancellation.orderId))
        .map((cancellation) => ({ kind: "no new units", reason: "not_a_cancellation" as const, orderId: cancellation.orderId }));
      return { cancellations, ignored: [...result.ignored, ...nothingNew] };
    },
  };
}
