import { createRequire } from "node:module";

/**
 * The @restock/core range a package generated outside the monorepo depends on: a caret on the
 * core this scaffold was released with (its own dependency), so a new package starts on the
 * current contract.
 */
export function coreRange(): string {
  const { version } = createRequire(import.meta.url)("@restock/core/package.json") as { version: string };
  return `^${version}`;
}
