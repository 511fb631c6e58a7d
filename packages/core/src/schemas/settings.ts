import { z } from "zod";
import { DEFAULT_MODE, RestorationMode } from "./mode.js";

export const IntegrationSettings = z.object({
  id: z.string().min(1).max(128),
  marketplace: z.string().min(1).max(64),
  mode: RestorationMode.default(DEFAULT_MODE),
});
export type IntegrationSettings = z.infer<typeof IntegrationSettings>;

/** The old per-integration boolean "Restore qty on cancel"; absent or null when never set. */
export const LegacyIntegrationSettings = z.object({
  id: z.string().min(1).max(128),
  marketplace: z.string().min(1).max(64),
  restoreQtyOnCancel: z.boolean().nullable().optional(),
});
export type LegacyIntegrationSettings = z.infer<typeof LegacyIntegrationSettings>;
