import { defineConfig } from "vitest/config";
import pkg from "./package.json" with { type: "json" };

export default defineConfig({
  // As tsup.config.ts does for the bundle: tests run src/, which reads the version from this constant.
  define: { __ADAPTER_VERSION__: JSON.stringify(pkg.version) },
  test: { include: ["test/**/*.test.ts"] },
});
