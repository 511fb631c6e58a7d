import { join } from "node:path";
import type { Engine } from "@restock/core";
import { afterEach, beforeAll, expect, test } from "vitest";
import { loadAdapters } from "../src/adapters/load-adapters.js";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import type { Integration } from "../src/settings/integration.js";
import { createSettingsService, LegacyImport } from "../src/settings/settings-service.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import type { Store } from "../src/store/store.js";
import { tempDir } from "./helpers/temp-dir.js";

let engine: Engine;
const dir = tempDir("settings-service");
const stores: Store[] = [];

beforeAll(async () => {
  engine = (await loadAdapters(DEFAULT_ADAPTERS)).engine;
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function openStore(name: string): Store {
  const store = openSqliteStore({ path: join(dir, `${name}.db`) });
  stores.push(store);
  return store;
}

/**
 * The store, with `between` run once right after the n-th read of an integration (0-based): another
 * writer (the server, while the CLI imports) changing the row between a read and the write made from it.
 */
function interleaved(store: Store, at: number, between: () => Promise<void>): Store {
  let reads = 0;
  return {
    ...store,
    async getIntegration(id) {
      const integration = await store.getIntegration(id);
      if (reads++ === at) await between();
      return integration;
    },
  };
}

test("a legacy import that ran while the server changed an integration does not put back the row it had read", async () => {
  const store = openStore("import-race");
  const server = createSettingsService(store, engine);
  // The import reads target (created meanwhile by the server: its read found nothing), then writes.
  const importing = createSettingsService(
    interleaved(store, 0, async () => {
      await server.put("target", { marketplace: "amazon", mode: "never", webhookSecret: "seller-secret-123" }, "api");
    }),
    engine,
  );
  const rows = await importing.importLegacy(LegacyImport.parse([{ id: "target", marketplace: "amazon", restoreQtyOnCancel: true }]));
  // Made again from a fresh read: the seller's never (and secret) stay, reported as kept.
  expect(rows).toMatchObject([{ id: "target", mode: "never", legacyMode: "always", previousMode: "never", change: "kept" }]);
  expect(await store.getIntegration("target")).toMatchObject({ mode: "never", modeSetBy: "seller", webhookSecret: "seller-secret-123" });
});

test("two changes of one integration made from one read both land: the second is made again from the first's row", async () => {
  const store = openStore("put-race");
  const server = createSettingsService(store, engine);
  await server.put("shop", { marketplace: "shopify" }, "api");
  // The CLI reads the row, then the console changes the mode, then the CLI sets a secret.
  const cli = createSettingsService(
    interleaved(store, 0, async () => {
      await server.put("shop", { mode: "never" }, "console");
    }),
    engine,
  );
  const { integration } = await cli.put("shop", { webhookSecret: "shop-secret-1" }, "cli");
  expect(integration).toMatchObject({ mode: "never", modeSetBy: "seller", webhookSecret: "shop-secret-1" });
  expect(await store.getIntegration("shop")).toEqual(integration);
  expect((await store.listModeChanges("shop", 10)).map((change) => [change.from, change.to, change.via])).toEqual([
    ["smart", "never", "console"],
    [null, "smart", "api"],
  ]);
});

test("a change made within the same millisecond as the row it was read from is still told apart", async () => {
  const store = openStore("same-ms");
  // A clock that never moves: the write's time must still differ from the row's.
  const frozen = createSettingsService(store, engine, () => 1_000);
  await frozen.put("wm", { marketplace: "walmart" }, "api");
  const first = (await store.getIntegration("wm"))!;
  await frozen.put("wm", { mode: "always" }, "api");
  await expect(
    store.writeIntegrations([
      { integration: { ...first, mode: "never", updatedAt: 1_001 }, readAt: first.updatedAt, previous: first, via: "api" },
    ]),
  ).rejects.toThrow("was changed by someone else meanwhile");
  expect((await store.getIntegration("wm"))!.mode).toBe("always");
});

test("look-ups answer in the order they were made, however the store's reads come back", async () => {
  const store = openStore("lookup-order");
  const settings = createSettingsService(store, engine);
  await settings.put("wm", { marketplace: "walmart" }, "api");
  // Reads that answer last-asked-first, as PostgreSQL's pool connections may.
  const pending: (() => void)[] = [];
  const reordering: Store = {
    ...store,
    getIntegration: (id) =>
      new Promise<Integration | undefined>((resolve, reject) => {
        pending.push(() => store.getIntegration(id).then(resolve, reject));
      }),
  };
  let time = 0;
  const lookups = createSettingsService(reordering, engine, () => time);
  const order: number[] = [];
  const look = (n: number) => lookups.lookup("wm").then(() => order.push(n));
  const first = [look(1), look(2), look(3)];
  for (const answer of pending.splice(0).reverse()) answer();
  await Promise.all(first);
  // Cached now: a look-up made later answers after them, in its turn.
  await Promise.all([look(4), look(5)]);
  // Expired: one new read answers the look-ups made while it runs, in their order.
  time += 60_000;
  const later = [look(6), look(7), look(8)];
  for (const answer of pending.splice(0).reverse()) answer();
  await Promise.all(later);
  expect(order).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
});
