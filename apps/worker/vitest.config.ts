import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The crash and end-to-end tests start real processes and servers: keep files from competing for the 2 cores.
    fileParallelism: false,
  },
});
