import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Run by kit-runs.test.ts in a child vitest, whose report says which tests the kit skipped,
// passed or failed: files that are meant to fail cannot run in core's own suite.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.kit.ts"],
  },
});
