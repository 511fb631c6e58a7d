import { decodeUtf8, type Engine, type ParseResult } from "@restock/core";
import type { ClaimedEvent, EvaluateEvent, EventEvaluation } from "../store/types.js";
import { readStoredParse, storedBy } from "./stored-parse.js";

/**
 * Parse + classify + decide for one inbox event, with the integration's current mode. Pure and
 * synchronous so the store can run it inside the batch's transaction. The parse is intake's
 * (inbox.parsed) when the same adapter version made it; otherwise the raw body is parsed again.
 */
export function createEventEvaluator(engine: Engine): EvaluateEvent {
  const evaluate: EvaluateEvent = (event: ClaimedEvent): EventEvaluation => {
    const { marketplace, mode } = event;
    try {
      const adapter = engine.adapterFor(marketplace);
      const stored = event.parsed ? readStoredParse(event.parsed, adapter) : undefined;
      if (adapter && stored) return decideStored(engine, marketplace, mode, adapter, stored);
      // As intake read it (events it took before it refused other encodings fail here, with their body kept).
      const text = decodeUtf8(event.body);
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
  evaluate.needsBody = (event) => !event.parsed || !storedBy(event.parsed, engine.adapterFor(event.marketplace));
  return evaluate;
}

function decideStored(
  engine: Engine,
  marketplace: string,
  mode: ClaimedEvent["mode"],
  adapter: { id: string; version: string },
  stored: ParseResult,
): EventEvaluation {
  return {
    ok: true,
    adapterId: adapter.id,
    adapterVersion: adapter.version,
    orders: stored.cancellations.map((cancellation) => ({
      orderId: cancellation.orderId,
      decisions: engine.decideCancellation(marketplace, cancellation, mode),
    })),
    ignored: stored.ignored,
  };
}
