import {
  type Engine,
  type IgnoredEvent,
  isPayloadError,
  type LineDecision,
  looksLikeXml,
  type RestorationMode,
  UnknownMarketplaceError,
} from "@restock/core";
import { canonicalNearMiss, evaluatePayloadInput, type PayloadInput, readPayload } from "../intake/read-payload.js";

export type TryResult =
  | {
      ok: true;
      adapterId: string;
      adapterVersion: string;
      cancellations: { orderId: string; decisions: LineDecision[] }[];
      ignored: IgnoredEvent[];
    }
  | { ok: false; error: string; field: string | null };

/**
 * What the worker would decide for a pasted payload: the same reading as intake (raw JSON/XML for
 * the adapter, or a canonical cancellation) and the worker's engine. Pure: nothing is stored.
 */
export function tryPayload(engine: Engine, marketplace: string, mode: RestorationMode, pasted: string): TryResult {
  // Intake decodes a body's bytes dropping a leading byte order mark (core's decodeUtf8): so is a pasted one.
  const text = pasted.startsWith("\ufeff") ? pasted.slice(1) : pasted;
  let input: PayloadInput | undefined;
  try {
    input = readPayload(text, looksLikeXml(text) ? "xml" : "json", true);
    const formats = engine.adapterFor(marketplace)?.capabilities.formats;
    if (input.format !== "canonical" && formats && !formats.includes(input.format)) {
      // Intake answers 415 to such a delivery.
      return { ok: false, error: `marketplace ${marketplace} takes ${formats.join(" or ").toUpperCase()} payloads`, field: null };
    }
    const evaluation = evaluatePayloadInput(engine, marketplace, mode, input);
    return {
      ok: true,
      adapterId: evaluation.adapterId,
      adapterVersion: evaluation.adapterVersion,
      cancellations: evaluation.cancellations.map(({ cancellation, decisions }) => ({ orderId: cancellation.orderId, decisions })),
      ignored: evaluation.ignored,
    };
  } catch (error) {
    if (isPayloadError(error)) {
      // As intake: a canonical cancellation for this marketplace that missed a line's reason key is
      // refused naming that field, not with the adapter's "unrecognised payload".
      const refused = (input?.format === "json" ? canonicalNearMiss(text, marketplace) : undefined) ?? error;
      return { ok: false, error: refused.message, field: refused.path || null };
    }
    if (error instanceof UnknownMarketplaceError) return { ok: false, error: error.message, field: "marketplace" };
    // An adapter that broke its contract on this payload (AdapterError): intake would keep it and processing would dead-letter it.
    return { ok: false, error: (error as Error).message, field: null };
  }
}
