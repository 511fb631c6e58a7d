import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/build-cli.ts"],
    // The integration tests run vitest, tsc and changesets in child processes.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
