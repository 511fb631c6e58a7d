import { json, type ScaffoldOptions } from "./options.js";
import { TOOL_VERSIONS } from "./tool-versions.js";

/**
 * The generated package.json: ESM + CJS with types first in every condition, `files: ["dist"]`,
 * no side effects, and @restock/core as a peer so the host's copy of core is the one used. No
 * dependencies: zod comes from core (`z` from `@restock/core/fields`), one copy for every adapter.
 */
export function packageJson(options: ScaffoldOptions): string {
  const { id, displayName, packageName, workspace } = options;
  const version = (name: keyof typeof TOOL_VERSIONS) => (workspace ? "catalog:" : TOOL_VERSIONS[name]);
  const scripts: Record<string, string> = {
    build: "tsup",
    typecheck: "tsc -p tsconfig.json",
    test: "vitest run",
    "lint:package": "publint --strict && attw --pack . --profile node16",
  };
  const devDependencies: Record<string, string> = {
    "@restock/core": workspace ? "workspace:*" : options.coreRange,
    "@types/node": version("@types/node"),
    tsup: version("tsup"),
    typescript: version("typescript"),
    vitest: version("vitest"),
  };
  if (!workspace) {
    // The monorepo provides these at its root; a standalone package brings its own.
    scripts["changeset"] = "changeset";
    scripts["version-packages"] = "changeset version";
    scripts["release"] = "npm run build && changeset publish";
    devDependencies["@arethetypeswrong/cli"] = TOOL_VERSIONS["@arethetypeswrong/cli"];
    devDependencies["@changesets/cli"] = TOOL_VERSIONS["@changesets/cli"];
    devDependencies["publint"] = TOOL_VERSIONS.publint;
  }
  return json({
    name: packageName,
    version: "0.0.0",
    description: `restock adapter for ${displayName}: maps ${displayName} cancellation payloads to restock's canonical cancellations.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    files: ["dist"],
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    engines: { node: ">=20.19" },
    scripts,
    keywords: ["restock", "restock-adapter", id],
    peerDependencies: { "@restock/core": workspace ? "workspace:^" : options.coreRange },
    devDependencies,
    publishConfig: { access: "public" },
  });
}
