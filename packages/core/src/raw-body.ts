import { PayloadError } from "./payload-error.js";

/** A raw payload as an adapter receives it: parsed JSON, the body text, or the body bytes. */
export type RawPayload = unknown;

// Fatal: bytes that are not UTF-8 would otherwise become U+FFFD, and two different SKUs sent in
// another encoding would arrive as one.
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Body text from a string or bytes (UTF-8); `undefined` when the payload is already parsed. Bytes
 * that are not UTF-8 are a PayloadError on the body as a whole. A leading byte-order mark is dropped
 * from text as the decoder drops it from bytes, so a body reads the same either way.
 */
export function rawText(raw: RawPayload): string | undefined {
  if (typeof raw === "string") return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (raw instanceof Uint8Array) return decodeUtf8(raw);
  return undefined;
}

/** Decodes UTF-8 bytes (a leading byte-order mark is dropped); anything else is a PayloadError. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new PayloadError("body is not valid UTF-8 text");
  }
}

/** Whether a text body is XML rather than JSON (first non-space character is `<`). */
export function looksLikeXml(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) continue;
    return c === 0x3c;
  }
  return false;
}

/**
 * The JSON value of a raw payload: parses text or bytes, passes parsed values through.
 * A syntax error becomes a PayloadError on the body as a whole.
 */
export function readJson(raw: RawPayload): unknown {
  const text = rawText(raw);
  if (text === undefined) return raw;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PayloadError(`body is not valid JSON (${(error as Error).message})`);
  }
}
