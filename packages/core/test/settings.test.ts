import { describe, expect, it } from "vitest";
import { IntegrationSettings, migrateLegacySettings, modeFromLegacy } from "../src/index.js";

describe("legacy migration of 'Restore qty on cancel'", () => {
  it.each([
    [true, "always"],
    [false, "never"],
    [null, "smart"],
    [undefined, "smart"],
  ] as const)("%s becomes %s", (legacy, mode) => {
    expect(modeFromLegacy(legacy)).toBe(mode);
    const migrated = migrateLegacySettings({ id: "int-1", marketplace: "amazon", restoreQtyOnCancel: legacy });
    expect(migrated.settings).toEqual({ id: "int-1", marketplace: "amazon", mode });
    expect(migrated.legacy).toBe(legacy ?? null);
  });

  it("gives a new integration Smart Logic by default", () => {
    expect(IntegrationSettings.parse({ id: "int-2", marketplace: "shopify" }).mode).toBe("smart");
  });

  it.each([
    [{ id: "a", marketplace: "amazon", restoreQtyOnCancel: 0 }, "restoreQtyOnCancel: "],
    [{ id: "a", marketplace: "amazon", restoreQtyOnCancel: "false" }, "restoreQtyOnCancel: "],
    [{ id: "a", marketplace: "amazon", restoreQtyOnCanel: false }, 'settings: Unrecognized key: "restoreQtyOnCanel"'],
    [{ id: "", marketplace: "amazon", restoreQtyOnCancel: false }, "id: "],
  ])("refuses %j, naming the field, instead of migrating it to smart", (record, message) => {
    // Each of these is "off" in some legacy store (a tinyint, a string, a misspelt column): as smart it restored.
    expect(() => migrateLegacySettings(record as never)).toThrow(TypeError);
    expect(() => migrateLegacySettings(record as never)).toThrow(message);
  });

  it("modeFromLegacy refuses a value that is not true, false or null", () => {
    expect(() => modeFromLegacy(0 as never)).toThrow(new TypeError("restoreQtyOnCancel: expected true, false or null, got 0"));
  });

  it("refuses a misspelt key instead of dropping it (the mode would default to smart)", () => {
    const result = IntegrationSettings.safeParse({ id: "int-4", marketplace: "shopify", mdoe: "never" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/Unrecognized key: "mdoe"/);
  });

  it("rejects an unknown mode", () => {
    expect(IntegrationSettings.safeParse({ id: "int-3", marketplace: "ebay", mode: "sometimes" }).success).toBe(false);
  });
});
