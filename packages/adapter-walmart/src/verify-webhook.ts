import { headerValue, hmacSha256, safeEqual, type WebhookRequest } from "@restock/core";

/**
 * Checks a Walmart delivery against the subscription's auth settings. The secret names the
 * method Walmart was given in `authDetails` when the subscription was created:
 *
 * - `basic:<userName>:<password>` (BASIC_AUTH): the `authorization` header must be
 *   `Basic base64(userName:password)` (the bare base64 value is accepted too).
 * - `hmac:<clientSecret>` (HMAC): the `wm_sec.signature` or `authorization` header must carry the
 *   HMAC-SHA256 of the raw body keyed with the client secret, in hex or base64 (Walmart does not
 *   document the encoding).
 *
 * Any other secret, or a missing header, fails. Comparisons are constant-time.
 */
export function verifyWalmartWebhook(request: WebhookRequest, secret: string): boolean {
  if (secret.startsWith("basic:")) return verifyBasicAuth(request, secret.slice("basic:".length));
  if (secret.startsWith("hmac:")) return verifyHmac(request, secret.slice("hmac:".length));
  return false;
}

/** Why `verifyWalmartWebhook` would refuse every delivery with this secret, or null: what the two forms require. */
export function checkWalmartSecret(secret: string): string | null {
  if (secret.startsWith("basic:")) {
    const credentials = secret.slice("basic:".length);
    return credentials.includes(":") && !credentials.startsWith(":")
      ? null
      : 'must be "basic:<userName>:<password>" with a user name before the first colon';
  }
  if (secret.startsWith("hmac:")) return secret.length > "hmac:".length ? null : 'must be "hmac:<clientSecret>" with the client secret';
  return 'must name the method Walmart was given: "basic:<userName>:<password>" or "hmac:<clientSecret>"';
}

function verifyBasicAuth(request: WebhookRequest, credentials: string): boolean {
  // A user name cannot contain a colon (RFC 7617); the password may.
  if (!credentials.includes(":") || credentials.startsWith(":")) return false;
  const header = headerValue(request, "authorization")?.trim();
  if (!header) return false;
  const expected = Buffer.from(credentials, "utf8").toString("base64");
  const presented = /^basic\s+/i.test(header) ? header.replace(/^basic\s+/i, "") : header;
  return safeEqual(presented, expected);
}

function verifyHmac(request: WebhookRequest, clientSecret: string): boolean {
  if (!clientSecret) return false;
  const header = (headerValue(request, "wm_sec.signature") ?? headerValue(request, "authorization"))?.trim();
  if (!header) return false;
  const hex = hmacSha256(clientSecret, request.rawBody, "hex");
  const base64 = hmacSha256(clientSecret, request.rawBody, "base64");
  // Both comparisons run so the time taken does not depend on which encoding matched.
  const matchesHex = safeEqual(header.toLowerCase(), hex);
  const matchesBase64 = safeEqual(header, base64);
  return matchesHex || matchesBase64;
}
