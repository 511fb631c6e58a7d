import { describe, expect, it } from "vitest";
import { headerValue, hmacSha256, safeEqual, verifySharedSecret } from "../src/index.js";

describe("webhook helpers", () => {
  it("compares strings in constant time and handles different lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });

  it("computes the HMAC Shopify documents (base64 of HMAC-SHA256 over the raw body)", () => {
    // Known vector: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(hmacSha256("key", "The quick brown fox jumps over the lazy dog", "hex")).toBe(
      "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
  });

  it("accepts a shared secret in the header or the URL token, and nothing else", () => {
    expect(verifySharedSecret({ headers: { "x-restock-token": "s3cret" }, rawBody: "" }, "s3cret")).toBe(true);
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=s3cret" }, "s3cret")).toBe(true);
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=wrong" }, "s3cret")).toBe(false);
    // A base64 secret pasted into the URL as it is: its "+" stays a plus (a form reading made it a space).
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=Ab+cD/ef=gh12" }, "Ab+cD/ef=gh12")).toBe(true);
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?a=1&token=Ab%2BcD%2Fef%3Dgh12" }, "Ab+cD/ef=gh12")).toBe(
      true,
    );
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=my+secret" }, "my secret")).toBe(true);
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=Ab+cD/ef=gh13" }, "Ab+cD/ef=gh12")).toBe(false);
    expect(verifySharedSecret({ headers: {}, rawBody: "", url: "/webhooks/rev-1?token=%E0%A4%A" }, "%E0%A4%A")).toBe(false);
    expect(verifySharedSecret({ headers: {}, rawBody: "" }, "s3cret")).toBe(false);
    // A non-ASCII secret in the header: its UTF-8 bytes arrive one per character (latin1), as Node reads headers.
    const asNodeReadsIt = Buffer.from("café-sécret", "utf8").toString("latin1");
    expect(verifySharedSecret({ headers: { "x-restock-token": asNodeReadsIt }, rawBody: "" }, "café-sécret")).toBe(true);
    expect(verifySharedSecret({ headers: { "x-restock-token": "café-sécret" }, rawBody: "" }, "café-sécret")).toBe(true);
    expect(verifySharedSecret({ headers: { "x-restock-token": asNodeReadsIt }, rawBody: "" }, "cafe-secret")).toBe(false);
    expect(verifySharedSecret({ headers: { "x-restock-token": "s3cret" }, rawBody: "" }, "")).toBe(false);
  });

  it("finds a header in any case: a host passing headers as sent had every delivery refused", () => {
    expect(verifySharedSecret({ headers: { "X-Restock-Token": "s3cret" }, rawBody: "" }, "s3cret")).toBe(true);
    expect(headerValue({ headers: { "X-Shopify-Hmac-Sha256": ["sig", "other"] }, rawBody: "" }, "x-shopify-hmac-sha256")).toBe("sig");
    // The lower-case key (Node's) first; a key present with no value is passed over.
    expect(headerValue({ headers: { "x-a": "lower", "X-A": "mixed" }, rawBody: "" }, "X-A")).toBe("lower");
    expect(headerValue({ headers: { "X-A": undefined, "x-A": "second" }, rawBody: "" }, "x-a")).toBe("second");
    expect(headerValue({ headers: { "x-b": "b" }, rawBody: "" }, "x-a")).toBeUndefined();
  });
});
