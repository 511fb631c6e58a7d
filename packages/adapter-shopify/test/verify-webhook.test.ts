import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const secret = "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";
const body = fixture("orders-cancelled-customer");
const sign = (payload: string | Uint8Array, key = secret) => createHmac("sha256", key).update(payload).digest("base64");
const verify = shopifyAdapter.verifyWebhook;

describe("Shopify webhook verification (X-Shopify-Hmac-Sha256)", () => {
  it("accepts the base64 HMAC-SHA256 of the raw body, as text or bytes", () => {
    const bytes = new TextEncoder().encode(body);
    expect(verify({ headers: { "x-shopify-hmac-sha256": sign(body) }, rawBody: body }, secret)).toBe(true);
    expect(verify({ headers: { "x-shopify-hmac-sha256": sign(bytes) }, rawBody: bytes }, secret)).toBe(true);
  });

  it("rejects a tampered body", () => {
    const tampered = body.replace('"cancel_reason": "customer"', '"cancel_reason": "inventory"');
    expect(tampered).not.toBe(body);
    expect(verify({ headers: { "x-shopify-hmac-sha256": sign(body) }, rawBody: tampered }, secret)).toBe(false);
  });

  it("rejects a signature made with another secret, a hex signature and a missing header or secret", () => {
    expect(verify({ headers: { "x-shopify-hmac-sha256": sign(body, "another-app-secret") }, rawBody: body }, secret)).toBe(false);
    const hex = createHmac("sha256", secret).update(body).digest("hex");
    expect(verify({ headers: { "x-shopify-hmac-sha256": hex }, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: {}, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: { "x-shopify-hmac-sha256": sign(body, "") }, rawBody: body }, "")).toBe(false);
  });
});
