import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFixtures, orphanExpectations } from "../src/testing/fixtures.js";

describe("recorded expectations beside fixtures", () => {
  it("are read with their fixture, and listed when no payload of their name is left (a fixture renamed without them)", () => {
    const dir = mkdtempSync(join(tmpdir(), "restock-expected-"));
    try {
      writeFileSync(join(dir, "kept.json"), '{"order":1}');
      writeFileSync(join(dir, "kept.expected.json"), '{"cancellations":[],"ignored":[]}');
      writeFileSync(join(dir, "feed.xml"), "<feed/>");
      writeFileSync(join(dir, "renamed.expected.json"), "{}");
      expect(loadFixtures(dir).map((fixture) => [fixture.name, fixture.format, fixture.expected])).toEqual([
        ["feed", "xml", undefined],
        ["kept", "json", { cancellations: [], ignored: [] }],
      ]);
      expect(orphanExpectations(dir)).toEqual(["renamed.expected.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
