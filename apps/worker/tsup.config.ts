import { defineConfig } from "tsup";

export default defineConfig({
  // processing-thread: the processing loop's worker thread, loaded by path next to the bundle.
  entry: { cli: "src/cli.ts", index: "src/index.ts", "processing-thread": "src/processing/processing-thread.ts" },
  format: ["esm"],
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  clean: true,
  target: "node20",
  // The console's stylesheet, served from next to the bundle.
  publicDir: "src/console/assets",
});
