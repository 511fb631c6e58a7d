/**
 * Versions a package generated outside the monorepo pins: the ones the monorepo's catalog
 * (pnpm-workspace.yaml) tests with. A test keeps the two lists equal.
 */
export const TOOL_VERSIONS = {
  "@types/node": "^20.19.0",
  tsup: "^8.5.0",
  typescript: "5.9.3",
  vitest: "3.2.7",
  "@arethetypeswrong/cli": "0.18.5",
  publint: "0.3.25",
  "@changesets/cli": "2.29.8",
} as const;
