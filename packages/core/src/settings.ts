import { formatPath } from "./payload-error.js";
import { DEFAULT_MODE, type RestorationMode } from "./schemas/mode.js";
import { type IntegrationSettings, LegacyIntegrationSettings } from "./schemas/settings.js";
import { previewValue } from "./value-preview.js";

/**
 * The mode a legacy "Restore qty on cancel" value becomes: on → always, off → never, unset → smart.
 * Anything else is a TypeError: "off" stored as 0 or "false" became smart, which restores.
 */
export function modeFromLegacy(restoreQtyOnCancel: boolean | null | undefined): RestorationMode {
  if (restoreQtyOnCancel === true) return "always";
  if (restoreQtyOnCancel === false) return "never";
  if (restoreQtyOnCancel === null || restoreQtyOnCancel === undefined) return DEFAULT_MODE;
  throw new TypeError(`restoreQtyOnCancel: expected true, false or null, got ${previewValue(restoreQtyOnCancel)}`);
}

export interface MigratedSettings {
  settings: IntegrationSettings;
  /** The legacy value it came from, for the migration report. */
  legacy: boolean | null;
}

/**
 * One legacy record's settings. The record is checked first (a TypeError names the field): a tinyint
 * 0, a string "false" or a misspelt key read as "unset" would have migrated "off" to smart.
 */
export function migrateLegacySettings(legacy: LegacyIntegrationSettings): MigratedSettings {
  const checked = LegacyIntegrationSettings.safeParse(legacy);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    throw new TypeError(`${formatPath(issue!.path) || "settings"}: ${issue!.message}`);
  }
  const value = checked.data.restoreQtyOnCancel ?? null;
  return {
    settings: { id: checked.data.id, marketplace: checked.data.marketplace, mode: modeFromLegacy(value) },
    legacy: value,
  };
}
