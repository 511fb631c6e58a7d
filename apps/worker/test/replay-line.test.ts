import { describe, expect, it } from "vitest";
import { readReplayLine } from "../src/cli/replay-line.js";

const line = (fields: Record<string, unknown>) => JSON.stringify({ integrationId: "shop-1", body: "{}", ...fields });

describe("a replay line", () => {
  it("keeps a string body as it is and re-serializes a JSON body losslessly (integers above 2^53 keep every digit)", () => {
    expect(readReplayLine(line({ body: '{"a": 1}' }))).toEqual({ integrationId: "shop-1", body: '{"a": 1}', contentType: undefined });
    expect(readReplayLine('{"integrationId":"shop-1","body":{"id":9007199254740993}}')).toEqual({
      integrationId: "shop-1",
      body: '{"id":9007199254740993}',
      contentType: "application/json",
    });
  });

  it("refuses an integration id a webhook URL could not carry, naming the field and not echoing it", () => {
    expect(() => readReplayLine(line({ integrationId: "shop\u00001" }))).toThrow(/^integrationId: must be 1-128 letters/);
    const long = "x".repeat(100_000);
    let message = "";
    try {
      readReplayLine(line({ integrationId: long }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^integrationId: /);
    expect(message.length).toBeLessThan(200);
  });

  it("refuses a content type no HTTP header could carry (a NUL failed the PostgreSQL commit it shared)", () => {
    expect(() => readReplayLine(line({ contentType: "application/json;\u0000" }))).toThrow(
      "contentType: must be a header value (no control characters such as NUL)",
    );
    expect(readReplayLine(line({ contentType: "application/json; charset=utf-8" })).contentType).toBe("application/json; charset=utf-8");
  });

  it("names the body when a JSON body cannot be re-serialized exactly (a key twice, nesting deeper than the parser's stack)", () => {
    expect(() => readReplayLine('{"integrationId":"shop-1","body":{"a":1,"a":2}}')).toThrow(
      /^body: cannot be re-serialized exactly \(Duplicate key 'a'.*\): give the body as a JSON string/,
    );
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`;
    expect(() => readReplayLine(`{"integrationId":"shop-1","body":${deep}}`)).toThrow(
      "body: cannot be re-serialized exactly (it nests too deeply): give the body as a JSON string to replay its bytes as they are",
    );
  });
});
