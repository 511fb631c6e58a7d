import { DEFAULT_MODE, type RestorationMode } from "./schemas/mode.js";
import type { IntegrationSettings, LegacyIntegrationSettings } from "./schemas/settings.js";

/** The mode a legacy "Restore qty on cancel" value becomes: on → always, off → never, unset → smart. */
export function modeFromLegacy(restoreQtyOnCancel: boolean | null | undefined): RestorationMode {
  if (restoreQtyOnCancel === true) return "always";
  if (restoreQtyOnCancel === false) return "never";
  return DEFAULT_MODE;
}

export interface MigratedSettings {
  settings: IntegrationSettings;
  /** The legacy value it came from, for the migration report. */
  legacy: boolean | null;
}

export function migrateLegacySettings(legacy: LegacyIntegrationSettings): MigratedSettings {
  const value = legacy.restoreQtyOnCancel ?? null;
  return {
    settings: { id: legacy.id, marketplace: legacy.marketplace, mode: modeFromLegacy(value) },
    legacy: value,
  };
}
