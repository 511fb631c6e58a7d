import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Absolute path inside the monorepo. */
export const repoPath = (relative: string) => fileURLToPath(new URL(`../../../../${relative}`, import.meta.url));

export const packageDir = repoPath("packages/create-restock-adapter");
export const cliPath = repoPath("packages/create-restock-adapter/dist/cli.js");

/**
 * The installed packages a generated adapter needs, where pnpm put them: the scaffold's own
 * dev tools, core's zod, the root's changesets. Real paths, so a symlink to them behaves like
 * an install.
 */
export const installed = {
  "@restock/core": realpathSync(repoPath("packages/core")),
  zod: realpathSync(repoPath("packages/core/node_modules/zod")),
  vitest: realpathSync(repoPath("packages/create-restock-adapter/node_modules/vitest")),
  typescript: realpathSync(repoPath("packages/create-restock-adapter/node_modules/typescript")),
  tsup: realpathSync(repoPath("packages/create-restock-adapter/node_modules/tsup")),
  "@types/node": realpathSync(repoPath("packages/create-restock-adapter/node_modules/@types/node")),
  "@changesets/cli": realpathSync(repoPath("node_modules/@changesets/cli")),
  "@biomejs/biome": realpathSync(repoPath("node_modules/@biomejs/biome")),
} as const;

export const bin = {
  vitest: `${installed.vitest}/vitest.mjs`,
  tsc: `${installed.typescript}/bin/tsc`,
  tsup: `${installed.tsup}/dist/cli-default.js`,
  changeset: `${installed["@changesets/cli"]}/bin.js`,
  biome: `${installed["@biomejs/biome"]}/bin/biome`,
} as const;
