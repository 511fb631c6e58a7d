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

  it("rejects an unknown mode", () => {
    expect(IntegrationSettings.safeParse({ id: "int-3", marketplace: "ebay", mode: "sometimes" }).success).toBe(false);
  });
});
