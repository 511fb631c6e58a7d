import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The crash and end-to-end tests start real processes and servers: keep files from competing for the 2 cores.
    fileParallelism: false,
    // The PostgreSQL tests are a project of their own: only a run that includes them needs (and starts) a server.
    projects: [
      { extends: true, test: { name: "worker", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, "test/postgres/**"] } },
      {
        extends: true,
        test: { name: "postgres", include: ["test/postgres/**/*.test.ts"], globalSetup: ["test/support/postgres-global-setup.ts"] },
      },
    ],
  },
});
