import { json, type ScaffoldOptions } from "./options.js";

/** tsconfig, tsup and vitest configuration; outside the monorepo also .gitignore and the changesets config. */
export function configFiles(options: ScaffoldOptions): Record<string, string> {
  const files: Record<string, string> = {
    // In the monorepo: written as the repository's formatter (biome) writes it, so `pnpm lint` passes.
    "tsconfig.json": options.workspace
      ? '{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src", "test", "*.config.ts"]\n}\n'
      : json({
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2023"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            noUncheckedIndexedAccess: true,
            skipLibCheck: true,
            resolveJsonModule: true,
            isolatedModules: true,
            verbatimModuleSyntax: true,
            noEmit: true,
            types: ["node"],
          },
          include: ["src", "test", "*.config.ts"],
        }),
    // Both define __ADAPTER_VERSION__ (src/version.ts) from package.json when they load, so the
    // bundle carries the version string only, never package.json itself.
    "tsup.config.ts": `import { defineConfig } from "tsup";
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
`,
    "vitest.config.ts": `import { defineConfig } from "vitest/config";
import pkg from "./package.json" with { type: "json" };

export default defineConfig({
  // As tsup.config.ts does for the bundle: tests run src/, which reads the version from this constant.
  define: { __ADAPTER_VERSION__: JSON.stringify(pkg.version) },
  test: { include: ["test/**/*.test.ts"] },
});
`,
  };
  if (!options.workspace) {
    files[".gitignore"] = "node_modules/\ndist/\n*.tgz\n";
    files[".changeset/config.json"] = json({
      $schema: "https://unpkg.com/@changesets/config@3.1.1/schema.json",
      changelog: "@changesets/cli/changelog",
      commit: false,
      fixed: [],
      linked: [],
      access: "public",
      baseBranch: "main",
      updateInternalDependencies: "patch",
      ignore: [],
    });
  }
  return files;
}

/** The changeset announcing the new package: its first release is 0.1.0. */
export function initialChangeset(options: ScaffoldOptions): string {
  return `---\n${JSON.stringify(options.packageName)}: minor\n---\n\nNew adapter for ${options.displayName}.\n`;
}
