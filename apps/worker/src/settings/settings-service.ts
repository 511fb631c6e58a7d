import { type Engine, LegacyIntegrationSettings, migrateLegacySettings, type RestorationMode } from "@restock/core";
import { z } from "zod";
import { IntegrationConflict, type IntegrationWrite, type Store } from "../store/store.js";
import {
  type ChangeVia,
  type Integration,
  type IntegrationChange,
  IntegrationId,
  MarketplaceId,
  type ModeChange,
  type ModeSetBy,
} from "./integration.js";

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
 * Strict: a field spelled otherwise (`restore_qty_on_cancel`) would read as "unset" and migrate
 * every integration that had it off to smart.
 */
const LegacyRecord = LegacyIntegrationSettings.strict().extend({
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
 * Strict at the top too: `{"integrations": [...], "integration": [...]}` would import half the file.
 */
export const LegacyImport = z.preprocess(
  (value) => (Array.isArray(value) ? { integrations: value } : value),
  z.object({ integrations: z.array(LegacyRecord).superRefine(refuseRepeatedIds) }).strict(),
);
export type LegacyImport = z.infer<typeof LegacyImport>;

export interface LegacyImportRow {
  id: string;
  marketplace: string;
  legacy: boolean | null;
  /** The mode the legacy value migrates to. */
  legacyMode: RestorationMode;
  /** The integration's mode after the import (for `kept`, the one it had). */
  mode: RestorationMode;
  previousMode: RestorationMode | null;
  /**
   * created: a new integration; updated: its mode changed; unchanged: it already had that mode;
   * kept: its mode stays as it is (`why`) unless the import is forced.
   */
  change: "created" | "updated" | "unchanged" | "kept";
  why?: string;
}

export interface PutResult {
  integration: Integration;
  created: boolean;
  /** The mode history entry this change added (its id), or null when neither the mode nor who set it changed. */
  modeChangeId: number | null;
}

export interface LegacyImportOptions {
  dryRun?: boolean;
  /** Replace modes a seller set since, and modes a record without a legacy value would otherwise keep. */
  force?: boolean;
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
  /**
   * Creates the integration (marketplace required) or changes the given fields; a mode given is the
   * seller's choice (`modeSetBy: "seller"`), and `via` goes into the mode history.
   */
  put(id: string, change: IntegrationChange, via: ChangeVia): Promise<PutResult>;
  importLegacy(input: LegacyImport, options?: LegacyImportOptions): Promise<LegacyImportRow[]>;
  /** The integration's mode changes, newest first. */
  modeChanges(id: string, limit?: number): Promise<ModeChange[]>;
}

const LOOKUP_TTL_MS = 1000;

/**
 * How often a write is made again from a fresh read when another writer changed the integration
 * between read and write; that many conflicts in a row are reported (409) rather than retried.
 */
const WRITE_ATTEMPTS = 5;

async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof IntegrationConflict) || attempt >= WRITE_ATTEMPTS) throw error;
    }
  }
}

export function createSettingsService(store: Store, engine: Engine, now: () => number = Date.now): SettingsService {
  // The cache holds the look-up's promise, shared by every caller until it expires: callers then go
  // on in the order they called. Each caller running its own read (on PostgreSQL, on different pool
  // connections) let answers come back in any order, and intake, which queues an event once its
  // look-up answers, stored a replay's events of one order out of file order.
  const cache = new Map<string, { integration: Promise<Integration | undefined>; until: number }>();

  function lookup(id: string): Promise<Integration | undefined> {
    const cached = cache.get(id);
    const time = now();
    if (cached && cached.until > time) return cached.integration;
    const entry = {
      until: Number.POSITIVE_INFINITY,
      integration: store.getIntegration(id).then(
        (integration) => {
          // Unknown ids are not kept: an integration created a moment later is found at once.
          if (integration && cache.get(id) === entry) entry.until = now() + LOOKUP_TTL_MS;
          else if (cache.get(id) === entry) cache.delete(id);
          return integration;
        },
        (error: unknown) => {
          if (cache.get(id) === entry) cache.delete(id);
          throw error;
        },
      ),
    };
    cache.set(id, entry);
    return entry.integration;
  }

  async function write(writes: IntegrationWrite[]): Promise<(number | null)[]> {
    if (writes.length === 0) return [];
    const changeIds = await store.writeIntegrations(writes);
    for (const { integration } of writes) cache.delete(integration.id);
    return changeIds;
  }

  /** A write's time: after the row's, so the next writer's check on `updatedAt` sees the change even within one millisecond. */
  const writeTime = (existing: Integration | undefined) => Math.max(now(), existing ? existing.updatedAt + 1 : 0);

  /** `field`: where the marketplace is, for the error (a legacy import names the record: integrations.<n>.marketplace). */
  function checkMarketplace(marketplace: string, field = "marketplace"): void {
    if (!engine.adapterFor(marketplace)) {
      throw new SettingsError(`no adapter is loaded for marketplace "${marketplace}" and no fallback adapter is configured`, field);
    }
  }

  /** A secret the marketplace's adapter could never match (Walmart's names its method) is refused when set, not at every delivery. */
  function checkSecret(marketplace: string, secret: string | null | undefined): void {
    if (!secret) return;
    const problem = engine.adapterFor(marketplace)?.checkWebhookSecret?.(secret);
    if (problem) throw new SettingsError(problem, "webhookSecret");
  }

  async function putOnce(id: string, change: IntegrationChange, via: ChangeVia): Promise<PutResult> {
    const existing = await store.getIntegration(id);
    const time = writeTime(existing);
    checkSecret(existing?.marketplace ?? change.marketplace ?? "", change.webhookSecret);
    if (!existing) {
      if (!change.marketplace) throw new SettingsError("is required to create an integration", "marketplace");
      checkMarketplace(change.marketplace);
      const integration: Integration = {
        id,
        marketplace: change.marketplace,
        account: change.account ?? id,
        mode: change.mode ?? "smart",
        modeSetBy: change.mode === undefined ? "default" : "seller",
        webhookSecret: change.webhookSecret ?? null,
        createdAt: time,
        updatedAt: time,
      };
      const [modeChangeId = null] = await write([{ integration, readAt: null, previous: null, via }]);
      return { integration, created: true, modeChangeId };
    }
    if (change.marketplace !== undefined && change.marketplace !== existing.marketplace) {
      // Its line progress and audit are per marketplace's ids: a different marketplace is a new integration.
      throw new SettingsError(`cannot change from "${existing.marketplace}": create a new integration`, "marketplace");
    }
    const integration: Integration = {
      ...existing,
      account: change.account ?? existing.account,
      mode: change.mode ?? existing.mode,
      modeSetBy: change.mode === undefined ? existing.modeSetBy : "seller",
      webhookSecret: change.webhookSecret === undefined ? existing.webhookSecret : change.webhookSecret,
      updatedAt: time,
    };
    const [modeChangeId = null] = await write([{ integration, readAt: existing.updatedAt, previous: existing, via }]);
    return { integration, created: false, modeChangeId };
  }

  async function importOnce(input: LegacyImport, { dryRun = false, force = false }: LegacyImportOptions): Promise<LegacyImportRow[]> {
    const rows: LegacyImportRow[] = [];
    // Every change of the file, written in one transaction: an import applies all of it or nothing.
    const writes: IntegrationWrite[] = [];
    for (const [index, record] of input.integrations.entries()) {
      const { settings, legacy } = migrateLegacySettings(record);
      const { id, marketplace, mode: legacyMode } = settings;
      const existing = await store.getIntegration(id);
      if (existing && existing.marketplace !== marketplace) {
        throw new SettingsError(
          `integration "${id}" is on "${existing.marketplace}", the legacy record says "${marketplace}"`,
          `integrations.${index}.marketplace`,
        );
      }
      const setBy: ModeSetBy = legacy === null ? "default" : "legacy";
      const row = { id, marketplace, legacy, legacyMode, previousMode: existing?.mode ?? null };
      if (!existing) {
        checkMarketplace(marketplace, `integrations.${index}.marketplace`);
        const time = writeTime(undefined);
        const integration: Integration = {
          id,
          marketplace,
          account: id,
          mode: legacyMode,
          modeSetBy: setBy,
          webhookSecret: null,
          createdAt: time,
          updatedAt: time,
        };
        writes.push({ integration, readAt: null, previous: null, via: "import" });
        rows.push({ ...row, mode: legacyMode, change: "created" });
        continue;
      }
      if (existing.mode === legacyMode) {
        rows.push({ ...row, mode: legacyMode, change: "unchanged" });
        continue;
      }
      // The migration moves old behaviour over; it does not undo a choice made in restock since, and
      // a record with no legacy value says nothing that should change an integration that exists.
      const why =
        existing.modeSetBy === "seller"
          ? `its mode was set in restock (${existing.mode}) and is kept; force the import to replace it`
          : legacy === null
            ? `the record has no legacy value, so the integration's mode (${existing.mode}) is kept; force the import to replace it`
            : undefined;
      if (why && !force) {
        rows.push({ ...row, mode: existing.mode, change: "kept", why });
        continue;
      }
      const integration: Integration = { ...existing, mode: legacyMode, modeSetBy: setBy, updatedAt: writeTime(existing) };
      writes.push({ integration, readAt: existing.updatedAt, previous: existing, via: "import" });
      rows.push({ ...row, mode: legacyMode, change: "updated" });
    }
    if (!dryRun) await write(writes);
    return rows;
  }

  return {
    list: () => store.listIntegrations(),
    get: (id) => store.getIntegration(id),
    lookup,
    // A write made from a row someone else changed meanwhile is made again from a fresh read: it
    // must not put back the other writer's fields (a webhook secret set while an import ran).
    put: (id, change, via) => retryOnConflict(() => putOnce(id, change, via)),
    importLegacy: (input, options = {}) => retryOnConflict(() => importOnce(input, options)),
    modeChanges: (id, limit = 50) => store.listModeChanges(id, limit),
  };
}
