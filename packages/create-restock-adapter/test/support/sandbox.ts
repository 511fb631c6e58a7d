import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { installed } from "./repo.js";

/**
 * A temporary folder outside the repository whose `node_modules` links the real installed
 * packages: a generated package inside it resolves @restock/core, zod, vitest, tsup and the
 * types as it would after `npm install`, with no registry and without touching the workspace.
 */
export function createSandbox(prefix: string): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  for (const [name, target] of Object.entries(installed)) {
    const link = join(root, "node_modules", name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, "dir");
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
