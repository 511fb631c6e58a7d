import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { walmartAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

const body = fixture("order-updates-fraud-cancel");
const verify = walmartAdapter.verifyWebhook;

describe("Walmart webhook verification: BASIC_AUTH", () => {
  const secret = "basic:restock-hook:pa:ss-w0rd";
  const credentials = Buffer.from("restock-hook:pa:ss-w0rd").toString("base64");

  it("accepts the subscription's credentials, with or without the Basic scheme", () => {
    expect(verify({ headers: { authorization: `Basic ${credentials}` }, rawBody: body }, secret)).toBe(true);
    expect(verify({ headers: { authorization: credentials }, rawBody: body }, secret)).toBe(true);
  });

  it("rejects a wrong password, a missing header and a malformed secret", () => {
    const wrong = Buffer.from("restock-hook:guess").toString("base64");
    expect(verify({ headers: { authorization: `Basic ${wrong}` }, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: {}, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: { authorization: `Basic ${credentials}` }, rawBody: body }, "basic:no-colon")).toBe(false);
    expect(verify({ headers: { authorization: `Basic ${credentials}` }, rawBody: body }, "restock-hook:pa:ss-w0rd")).toBe(false);
  });
});

describe("Walmart webhook verification: HMAC", () => {
  const clientSecret = "wm-client-secret-5b1f";
  const secret = `hmac:${clientSecret}`;
  const signature = (encoding: "hex" | "base64", payload = body, key = clientSecret) =>
    createHmac("sha256", key).update(payload).digest(encoding);

  it("accepts the HMAC-SHA256 of the raw body in hex or base64, in either header", () => {
    expect(verify({ headers: { "wm_sec.signature": signature("hex") }, rawBody: body }, secret)).toBe(true);
    expect(verify({ headers: { "wm_sec.signature": signature("hex").toUpperCase() }, rawBody: body }, secret)).toBe(true);
    expect(verify({ headers: { authorization: signature("base64") }, rawBody: new TextEncoder().encode(body) }, secret)).toBe(true);
  });

  it("rejects a tampered body, a wrong secret and a missing signature", () => {
    const tampered = body.replace('"measurementValue": "1"', '"measurementValue": "9"');
    expect(tampered).not.toBe(body);
    expect(verify({ headers: { "wm_sec.signature": signature("hex") }, rawBody: tampered }, secret)).toBe(false);
    expect(verify({ headers: { "wm_sec.signature": signature("base64", body, "other-secret") }, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: {}, rawBody: body }, secret)).toBe(false);
    expect(verify({ headers: { "wm_sec.signature": signature("hex") }, rawBody: body }, "hmac:")).toBe(false);
  });
});

describe("Walmart secret forms, checked when an integration's secret is set", () => {
  const check = walmartAdapter.checkWebhookSecret!;

  it("takes the two forms verification reads", () => {
    expect(check("basic:restock-hook:pa:ss-w0rd")).toBeNull();
    expect(check("hmac:0123456789abcdef")).toBeNull();
  });

  it("names what is wrong with a secret no delivery could match", () => {
    // A bare client secret (the likeliest mistake): every delivery would fail with 401.
    expect(check("0123456789abcdef")).toContain('"hmac:<clientSecret>"');
    expect(check("basic:no-colon")).toContain("basic:<userName>:<password>");
    expect(check("basic::password-only")).toContain("user name");
    expect(check("hmac:")).toContain("client secret");
    // Each refused form is one verification refuses too.
    for (const secret of ["0123456789abcdef", "basic:no-colon", "basic::password-only", "hmac:"]) {
      expect(verify({ headers: { authorization: "Basic x", "wm_sec.signature": "x" }, rawBody: body }, secret)).toBe(false);
    }
  });
});
