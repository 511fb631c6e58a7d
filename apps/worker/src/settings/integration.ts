import { isCleanText, RestorationMode } from "@restock/core";
import { z } from "zod";
import { CLEAN_TEXT_MESSAGE, cleanText } from "../config/clean-text.js";

/** Integration ids appear in URLs (`/webhooks/:integrationId`), so they stay URL-safe. */
export const IntegrationId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    "must be 1-128 letters, digits, dots, dashes or underscores, starting with a letter or digit",
  );

/** A marketplace name is an adapter id (`amazon`) or any channel the fallback adapter serves (`etsy`). */
export const MarketplaceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be lower-case letters, digits and dashes");

/**
 * A seller account: it keys the inventory ledger with the SKU, so like a SKU it is well-formed
 * text without NUL (a lone surrogate would be stored as U+FFFD, and two accounts become one).
 */
export const Account = cleanText(1, 128);

/**
 * Who chose an integration's current mode: `default` (created without one: smart), `legacy` (the
 * legacy import's migration of "Restore qty on cancel") or `seller` (the API, the console, the CLI).
 * A later legacy import replaces only the first two: it migrates old behaviour, and must not undo a
 * choice made in restock since.
 */
export const ModeSetBy = z.enum(["default", "legacy", "seller"]);
export type ModeSetBy = z.infer<typeof ModeSetBy>;

/** Where a mode change came from, for the integration's mode history. */
export const ChangeVia = z.enum(["api", "console", "cli", "import", "samples"]);
export type ChangeVia = z.infer<typeof ChangeVia>;

/** One entry of an integration's mode history: created (from null) or changed. */
export interface ModeChange {
  id: number;
  integrationId: string;
  at: number;
  from: RestorationMode | null;
  to: RestorationMode;
  setBy: ModeSetBy;
  via: ChangeVia;
}

export function publicModeChange(change: ModeChange) {
  return { id: change.id, at: new Date(change.at).toISOString(), from: change.from, to: change.to, setBy: change.setBy, via: change.via };
}

/** One seller connection to one channel, as stored. */
export const Integration = z.object({
  id: IntegrationId,
  marketplace: MarketplaceId,
  /** The seller account whose inventory this integration moves; integrations of one seller can share it. */
  account: Account,
  mode: RestorationMode,
  modeSetBy: ModeSetBy,
  webhookSecret: z.string().min(1).max(512).nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Integration = z.infer<typeof Integration>;

/** `PUT /v1/integrations/:id` and `restock integrations add`: create (marketplace required) or change. */
export const IntegrationChange = z
  .object({
    marketplace: MarketplaceId.optional(),
    account: Account.optional(),
    mode: RestorationMode.optional(),
    webhookSecret: z
      .string()
      .min(8, "must be at least 8 characters")
      .max(512)
      .refine(isCleanText, CLEAN_TEXT_MESSAGE)
      // Node drops a header value's outer blanks, so such a token never matches, and a client secret
      // pasted with its line break signs nothing the marketplace signed: 401 on every delivery.
      .refine((secret) => secret === secret.trim(), "has spaces or a line break at its start or end: remove them")
      .nullable()
      .optional(),
  })
  .strict();
export type IntegrationChange = z.infer<typeof IntegrationChange>;

/** What the API shows: never the secret itself. */
export function publicIntegration(integration: Integration) {
  return {
    id: integration.id,
    marketplace: integration.marketplace,
    account: integration.account,
    mode: integration.mode,
    modeSetBy: integration.modeSetBy,
    hasWebhookSecret: integration.webhookSecret !== null,
    createdAt: new Date(integration.createdAt).toISOString(),
    updatedAt: new Date(integration.updatedAt).toISOString(),
  };
}
