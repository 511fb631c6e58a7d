import { rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const shared: Options = {
  dts: true,
  sourcemap: true,
  // Cleaned once below: tsup builds the two configurations side by side, and a `clean` in either
  // would empty dist/ while the other writes to it.
  clean: false,
  target: "node20",
  external: ["vitest"],
};

export default defineConfig((): Options[] => {
  rmSync("dist", { recursive: true, force: true });
  return [
    // ESM: every entry point. `testing` is ESM only: it imports vitest, which refuses require().
    {
      ...shared,
      entry: { index: "src/index.ts", fields: "src/fields.ts", "testing/index": "src/testing/index.ts" },
      format: ["esm"],
    },
    { ...shared, entry: { index: "src/index.ts", fields: "src/fields.ts" }, format: ["cjs"] },
  ];
});
