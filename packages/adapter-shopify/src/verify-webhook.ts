import { headerValue, hmacSha256, safeEqual, type WebhookRequest } from "@restock/core";

/**
 * Checks a Shopify webhook delivery: `X-Shopify-Hmac-Sha256` must be the base64 HMAC-SHA256 of
 * the raw body bytes keyed with the app's client secret. Constant-time; false when the header or
 * the secret is missing.
 */
export function verifyShopifyWebhook(request: WebhookRequest, secret: string): boolean {
  if (!secret) return false;
  const signature = headerValue(request, "x-shopify-hmac-sha256")?.trim();
  if (!signature) return false;
  return safeEqual(signature, hmacSha256(secret, request.rawBody, "base64"));
}
