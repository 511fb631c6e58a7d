import { z } from "zod";
import { DEFAULT_MODE, RestorationMode } from "./mode.js";

// Strict: a misspelt key (`mdoe: "never"`) would be dropped and the mode default to smart, which
// restores where the seller chose never.
export const IntegrationSettings = z.strictObject({
  id: z.string().min(1).max(128),
  marketplace: z.string().min(1).max(64),
  mode: RestorationMode.default(DEFAULT_MODE),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettings>;

/**
 * The old per-integration boolean "Restore qty on cancel"; absent or null when never set. Strict: a
 * key spelled otherwise (`restore_qty_on_cancel`) would read as unset and migrate "off" to smart.
 */
export const LegacyIntegrationSettings = z.strictObject({
  id: z.string().min(1).max(128),
  marketplace: z.string().min(1).max(64),
  restoreQtyOnCancel: z.boolean().nullable().optional(),
});
export type LegacyIntegrationSettings = z.infer<typeof LegacyIntegrationSettings>;
