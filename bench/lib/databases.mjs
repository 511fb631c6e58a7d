// Throwaway databases for the benchmarks, created through the worker's own store.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importWorker } from "./workspace.mjs";

/** A temp folder removed at exit (and by `cleanup`), so repeated runs leave nothing behind. */
export function tempFolder(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `restock-bench-${prefix}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", cleanup);
  return { dir, cleanup };
}

/** Creates a SQLite database (WAL, synchronous=FULL, migrated) holding the given integrations. */
export async function createSqliteDatabase(path, integrations) {
  const { openSqliteStore } = await importWorker();
  const store = openSqliteStore({ path });
  const now = Date.now();
  await store.writeIntegrations(
    integrations.map((integration) => ({
      integration: {
        id: integration.id,
        marketplace: integration.marketplace,
        account: integration.account ?? "bench",
        mode: "smart",
        modeSetBy: "default",
        webhookSecret: integration.webhookSecret ?? null,
        createdAt: now,
        updatedAt: now,
      },
      readAt: null,
      previous: null,
      via: "cli",
    })),
  );
  await store.close();
  return path;
}
