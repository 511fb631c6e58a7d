import { type Engine, LegacyIntegrationSettings, migrateLegacySettings, type RestorationMode } from "@restock/core";
import { z } from "zod";
import type { Store } from "../store/store.js";
import { type Integration, type IntegrationChange, IntegrationId, MarketplaceId } from "./integration.js";

/** A settings change the caller got wrong (400). */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  constructor(
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/**
 * One legacy record, held to the rules `PUT /v1/integrations/:id` applies: an id that is not
 * URL-safe could never receive a webhook, and a marketplace spelled "Amazon" would not find the
 * Amazon adapter but be served by the fallback (no reasons), restoring every cancellation.
 */
const LegacyRecord = LegacyIntegrationSettings.extend({
  id: IntegrationId,
  marketplace: z.string().superRefine((value, context) => {
    if (MarketplaceId.safeParse(value).success) return;
    const lower = value.trim().toLowerCase();
    const hint = lower !== value && MarketplaceId.safeParse(lower).success ? ` (did you mean "${lower}"?)` : "";
    context.addIssue({ code: "custom", message: `must be lower-case letters, digits and dashes${hint}` });
  }),
});

/** The same id twice in one import: which of the two settings was meant is unknowable, so neither is applied. */
function refuseRepeatedIds(records: { id: string }[], context: z.RefinementCtx): void {
  const first = new Map<string, number>();
  records.forEach((record, index) => {
    const earlier = first.get(record.id);
    if (earlier === undefined) first.set(record.id, index);
    else context.addIssue({ code: "custom", path: [index, "id"], message: `"${record.id}" is also at integrations.${earlier}` });
  });
}

/**
 * The legacy export: an array of `{id, marketplace, restoreQtyOnCancel}` or `{integrations: [...]}`
 * (errors name `integrations.<n>.<field>`). The whole file is checked before anything is applied.
 */
export const LegacyImport = z.preprocess(
  (value) => (Array.isArray(value) ? { integrations: value } : value),
  z.object({ integrations: z.array(LegacyRecord).superRefine(refuseRepeatedIds) }),
);
export type LegacyImport = z.infer<typeof LegacyImport>;

export interface LegacyImportRow {
  id: string;
  marketplace: string;
  legacy: boolean | null;
  mode: RestorationMode;
  previousMode: RestorationMode | null;
  /** created: a new integration; updated: its mode changed; unchanged: it already had that mode. */
  change: "created" | "updated" | "unchanged";
}

export interface SettingsService {
  list(): Promise<Integration[]>;
  get(id: string): Promise<Integration | undefined>;
  /**
   * For the hot path (every delivery): `get` through a cache that keeps a found integration for
   * one second. Writes through this service refresh it; a change made by another process (the
   * CLI) shows within a second.
   */
  lookup(id: string): Promise<Integration | undefined>;
  /** Creates the integration (marketplace required) or changes the given fields. */
  put(id: string, change: IntegrationChange): Promise<{ integration: Integration; created: boolean }>;
  importLegacy(input: LegacyImport, options?: { dryRun?: boolean }): Promise<LegacyImportRow[]>;
}

const LOOKUP_TTL_MS = 1000;

export function createSettingsService(store: Store, engine: Engine, now: () => number = Date.now): SettingsService {
  const cache = new Map<string, { integration: Integration; until: number }>();

  async function lookup(id: string): Promise<Integration | undefined> {
    const cached = cache.get(id);
    const time = now();
    if (cached && cached.until > time) return cached.integration;
    const integration = await store.getIntegration(id);
    if (integration) cache.set(id, { integration, until: time + LOOKUP_TTL_MS });
    else cache.delete(id);
    return integration;
  }

  async function save(integration: Integration): Promise<void> {
    await store.saveIntegration(integration);
    cache.delete(integration.id);
  }

  function checkMarketplace(marketplace: string): void {
    if (!engine.adapterFor(marketplace)) {
      throw new SettingsError(`no adapter is loaded for marketplace "${marketplace}" and no fallback adapter is configured`, "marketplace");
    }
  }

  /** A secret the marketplace's adapter could never match (Walmart's names its method) is refused when set, not at every delivery. */
  function checkSecret(marketplace: string, secret: string | null | undefined): void {
    if (!secret) return;
    const problem = engine.adapterFor(marketplace)?.checkWebhookSecret?.(secret);
    if (problem) throw new SettingsError(problem, "webhookSecret");
  }

  async function put(id: string, change: IntegrationChange) {
    const existing = await store.getIntegration(id);
    const time = now();
    checkSecret(existing?.marketplace ?? change.marketplace ?? "", change.webhookSecret);
    if (!existing) {
      if (!change.marketplace) throw new SettingsError("is required to create an integration", "marketplace");
      checkMarketplace(change.marketplace);
      const integration: Integration = {
        id,
        marketplace: change.marketplace,
        account: change.account ?? id,
        mode: change.mode ?? "smart",
        webhookSecret: change.webhookSecret ?? null,
        createdAt: time,
        updatedAt: time,
      };
      await save(integration);
      return { integration, created: true };
    }
    if (change.marketplace !== undefined && change.marketplace !== existing.marketplace) {
      // Its line progress and audit are per marketplace's ids: a different marketplace is a new integration.
      throw new SettingsError(`cannot change from "${existing.marketplace}": create a new integration`, "marketplace");
    }
    const integration: Integration = {
      ...existing,
      account: change.account ?? existing.account,
      mode: change.mode ?? existing.mode,
      webhookSecret: change.webhookSecret === undefined ? existing.webhookSecret : change.webhookSecret,
      updatedAt: time,
    };
    await save(integration);
    return { integration, created: false };
  }

  async function importLegacy(input: LegacyImport, options: { dryRun?: boolean } = {}): Promise<LegacyImportRow[]> {
    const records = input.integrations;
    const rows: LegacyImportRow[] = [];
    const time = now();
    // Every change of the file, written in one transaction: an import applies all of it or nothing.
    const changed: Integration[] = [];
    for (const record of records) {
      const { settings, legacy } = migrateLegacySettings(record);
      const existing = await store.getIntegration(settings.id);
      if (existing && existing.marketplace !== settings.marketplace) {
        throw new SettingsError(
          `integration "${settings.id}" is on "${existing.marketplace}", the legacy record says "${settings.marketplace}"`,
          "marketplace",
        );
      }
      if (!existing) checkMarketplace(settings.marketplace);
      const change = !existing ? "created" : existing.mode === settings.mode ? "unchanged" : "updated";
      if (change === "created") {
        const { id, marketplace, mode } = settings;
        changed.push({ id, marketplace, account: id, mode, webhookSecret: null, createdAt: time, updatedAt: time });
      } else if (change === "updated") changed.push({ ...existing!, mode: settings.mode, updatedAt: time });
      rows.push({
        id: settings.id,
        marketplace: settings.marketplace,
        legacy,
        mode: settings.mode,
        previousMode: existing?.mode ?? null,
        change,
      });
    }
    if (!options.dryRun && changed.length > 0) {
      await store.saveIntegrations(changed);
      for (const integration of changed) cache.delete(integration.id);
    }
    return rows;
  }

  return {
    list: () => store.listIntegrations(),
    get: (id) => store.getIntegration(id),
    lookup,
    put,
    importLegacy,
  };
}
