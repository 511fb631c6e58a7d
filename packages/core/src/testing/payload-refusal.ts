import type { Adapter } from "../define-adapter.js";
import { createEngine } from "../engine.js";
import { isPayloadError, type PayloadError } from "../payload-error.js";
import type { RestorationMode } from "../schemas/mode.js";

export interface PayloadRefusalOptions {
  /** The marketplace the engine is asked for; the adapter's `id` by default. */
  marketplace?: string;
  /** The restoration mode; `"smart"` by default. */
  mode?: RestorationMode;
  /** The field the PayloadError must name (its `path`). */
  path?: string;
  /** What the PayloadError's message must match. */
  message?: RegExp;
}

/**
 * Evaluates `payload` through `createEngine({ adapters: [adapter] })` and returns the PayloadError
 * it is refused with. Text (a string) and bytes (a Uint8Array) are the body as-is; any other value
 * is sent as its `JSON.stringify` text, so a lone surrogate arrives as the escape `\udc80` and NUL
 * as `\u0000`, as a hostile body would. Throws (a plain Error, failing the test) when the payload
 * is accepted, when `path` or `message` is given and the PayloadError's differs, and rethrows any
 * other error, such as the engine's AdapterError.
 *
 * ```ts
 * expect(payloadRefusal(reverbAdapter, order).path).toBe("quantity");
 * payloadRefusal(reverbAdapter, order, { path: "sku", message: /must be well-formed text/ });
 * ```
 */
export function payloadRefusal(adapter: Adapter, payload: unknown, options: PayloadRefusalOptions = {}): PayloadError {
  const body = typeof payload === "string" || payload instanceof Uint8Array ? payload : JSON.stringify(payload);
  const engine = createEngine({ adapters: [adapter] });
  let refusal: PayloadError | undefined;
  try {
    engine.evaluate({ marketplace: options.marketplace ?? adapter.id, mode: options.mode ?? "smart", payload: body });
  } catch (error) {
    if (!isPayloadError(error)) throw error;
    refusal = error;
  }
  if (refusal === undefined) throw new Error(`${adapter.id}: the payload was accepted, expected a PayloadError`);
  if (options.path !== undefined && refusal.path !== options.path) {
    throw new Error(
      `${adapter.id}: the PayloadError names ${JSON.stringify(refusal.path)}, expected ${JSON.stringify(options.path)}: ${refusal.message}`,
    );
  }
  if (options.message !== undefined && refusal.message.search(options.message) === -1) {
    throw new Error(`${adapter.id}: the PayloadError's message ${JSON.stringify(refusal.message)} does not match ${options.message}`);
  }
  return refusal;
}
