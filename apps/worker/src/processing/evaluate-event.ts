import type { Engine } from "@restock/core";
import type { ClaimedEvent, EventEvaluation } from "../store/types.js";

/**
 * Parse + classify + decide for one inbox event, with the integration's current mode. Pure and
 * synchronous so the store can run it inside the batch's transaction.
 */
export function createEventEvaluator(engine: Engine) {
  return (event: ClaimedEvent): EventEvaluation => {
    const text = event.body.toString("utf8");
    const { marketplace, mode } = event;
    try {
      const evaluation =
        event.format === "canonical"
          ? engine.evaluate({ marketplace, mode, cancellation: JSON.parse(text) })
          : engine.evaluate({ marketplace, mode, payload: text });
      return {
        ok: true,
        adapterId: evaluation.adapterId,
        adapterVersion: evaluation.adapterVersion,
        orders: evaluation.cancellations.map(({ cancellation, decisions }) => ({ orderId: cancellation.orderId, decisions })),
        ignored: evaluation.ignored,
      };
    } catch (error) {
      return { ok: false, error: (error as Error)?.message ?? String(error) };
    }
  };
}
