import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The parts of an HTTP delivery a webhook check needs. Header names are best lower-case (Node's
 * `request.headers`); `headerValue` finds a name in any case (API Gateway v1 passes them as sent).
 */
export interface WebhookRequest {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The exact bytes received: signatures are computed over these, never over re-serialized JSON. */
  rawBody: string | Uint8Array;
  /** The request URL's path and query, for marketplaces that authenticate with a secret URL token. */
  url?: string;
}

/**
 * A header's value, its name matched in any case: a host passing headers as sent
 * (`X-Shopify-Hmac-Sha256`) had every delivery refused. A lower-case key is looked up first.
 */
export function headerValue(request: WebhookRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  let value = request.headers[lower];
  if (value === undefined) {
    for (const key of Object.keys(request.headers)) {
      if (key.toLowerCase() === lower && request.headers[key] !== undefined) {
        value = request.headers[key];
        break;
      }
    }
  }
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** Constant-time string comparison (length differences still return false without early exit on content). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/** base64 or hex HMAC-SHA256 of the raw body. */
export function hmacSha256(secret: string, body: string | Uint8Array, encoding: "base64" | "hex"): string {
  return createHmac("sha256", secret).update(body).digest(encoding);
}

/**
 * Node reads a header value one byte per character (latin1): a secret with non-ASCII characters,
 * sent as UTF-8 (as `?token=` carries it), arrives as its bytes. Read them back as UTF-8.
 */
function utf8FromHeaderBytes(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is every byte value
  return /[^\u0000-\u00ff]/.test(value) ? value : Buffer.from(value, "latin1").toString("utf8");
}

/**
 * For marketplaces that do not sign webhooks (Reverb recommends a secret URL): accepts the
 * delivery when the `x-restock-token` header or the `token` URL query parameter equals the secret.
 */
export function verifySharedSecret(request: WebhookRequest, secret: string): boolean {
  if (!secret) return false;
  const header = headerValue(request, "x-restock-token");
  if (header !== undefined) return safeEqual(header, secret) || safeEqual(utf8FromHeaderBytes(header), secret);
  if (request.url) {
    const { search } = new URL(request.url, "http://localhost");
    const token = new URLSearchParams(search).get("token");
    // The query is read as a form, where `+` is a space: a secret with `+` (common in base64
    // secrets) pasted into the URL as it is never matched, and every delivery was refused. Read
    // again with `+` kept a plus; the form reading (a space sent as `+`) still matches too.
    if (token !== null)
      return safeEqual(token, secret) || safeEqual(new URLSearchParams(search.replaceAll("+", "%2B")).get("token") ?? "", secret);
  }
  return false;
}
