import {
  Cancellation,
  type Engine,
  type Evaluation,
  isCanonicalCancellation,
  isPayloadError,
  type ParseResult,
  PayloadError,
  parsePayload,
  type RestorationMode,
} from "@restock/core";
import type { PayloadFormat } from "../store/types.js";
import type { BodyFormat } from "./body-format.js";

/** A body ready for the engine: raw text for the adapter, or a canonical cancellation's parsed value. */
export type PayloadInput = { format: "canonical"; cancellation: unknown } | { format: Exclude<PayloadFormat, "canonical">; text: string };

/**
 * Marketplace webhooks always carry the marketplace's own payload. Host pushes, replays and
 * `restock evaluate` may carry a canonical cancellation instead (core's isCanonicalCancellation);
 * raw JSON is then still handed to the adapter as text, so it can parse integers above 2^53.
 */
export function readPayload(text: string, format: BodyFormat, allowCanonical: boolean): PayloadInput {
  if (format === "xml" || !allowCanonical) return { format, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PayloadError(`body is not valid JSON (${(error as Error).message})`);
  }
  return isCanonicalCancellation(value) ? { format: "canonical", cancellation: value } : { format, text };
}

/**
 * Parses with the marketplace's adapter (or validates the canonical cancellation, which core also
 * holds to `marketplace`: decided with another marketplace's table, it would be misread); throws PayloadError.
 */
export function parsePayloadInput(engine: Engine, marketplace: string, input: PayloadInput): ParseResult {
  return engine.parse(marketplace, input.format === "canonical" ? input.cancellation : input.text);
}

/** Parses and decides a body read by `readPayload` (what `restock evaluate` and the console's "try a payload" show). */
export function evaluatePayloadInput(engine: Engine, marketplace: string, mode: RestorationMode, input: PayloadInput): Evaluation {
  return engine.evaluate({ marketplace, mode, payload: input.format === "canonical" ? input.cancellation : input.text });
}

/**
 * A body meant as a canonical cancellation (the integration's `marketplace`, an `orderId` and `lines`) but missing
 * what marks one (a `reason` key on every line, null for none; a line at all) goes to the adapter,
 * whose error then names no useful field ("unrecognised payload"). The canonical schema's error
 * names it (`lines[0].reason`); undefined when the body is not such a near miss.
 */
export function canonicalNearMiss(text: string, marketplace: string): PayloadError | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (record.marketplace !== marketplace || !("orderId" in record) || !Array.isArray(record.lines)) return undefined;
  try {
    parsePayload(Cancellation, value);
    return undefined;
  } catch (error) {
    return isPayloadError(error) ? error : undefined;
  }
}
