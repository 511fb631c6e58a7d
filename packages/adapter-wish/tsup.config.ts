import { defineConfig } from "tsup";
import pkg from "./package.json" with { type: "json" };

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // src/version.ts: the bundle carries the version string, not package.json.
  define: { __ADAPTER_VERSION__: JSON.stringify(pkg.version) },
});
