import { readFileSync } from "node:fs";
import { CONTRACT_VERSION } from "@restock/core";
import { describe, expect, it } from "vitest";
import { coreRange } from "../src/core-range.js";
import { initialChangeset, type ScaffoldOptions, scaffoldFiles } from "../src/index.js";
import { TOOL_VERSIONS } from "../src/templates/tool-versions.js";
import { repoPath } from "./support/repo.js";

const outside: ScaffoldOptions = {
  id: "acme-etsy",
  displayName: "Etsy (Acme)",
  packageName: "@acme/restock-adapter-etsy",
  workspace: false,
  coreRange: "^0.1.0",
};
const inside: ScaffoldOptions = { ...outside, packageName: "@restock/adapter-acme-etsy", workspace: true };

interface PackageJson {
  name: string;
  version: string;
  type: string;
  sideEffects: boolean;
  files: string[];
  main: string;
  types: string;
  exports: Record<string, Record<string, Record<string, string>> | string>;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const packageJsonOf = (options: ScaffoldOptions) => JSON.parse(scaffoldFiles(options)["package.json"]!) as PackageJson;

/** A version from the monorepo's catalog in pnpm-workspace.yaml (simple `  name: version` lines). */
function catalogVersion(name: string): string | undefined {
  const workspace = readFileSync(repoPath("pnpm-workspace.yaml"), "utf8");
  const catalog = workspace.slice(workspace.indexOf("\ncatalog:\n"));
  const escaped = name.replace(/[/@.-]/g, "\\$&");
  return catalog.match(new RegExp(`^\\s+"?${escaped}"?:\\s*(\\S+)\\s*$`, "m"))?.[1];
}

describe("scaffoldFiles", () => {
  it("generates the package's files, plus the changesets config and .gitignore outside the monorepo", () => {
    const common = [
      "README.md",
      "__fixtures__/cancelled-customer-request.expected.json",
      "__fixtures__/cancelled-customer-request.json",
      "__fixtures__/malformed-cancelled-above-ordered.json",
      "__fixtures__/malformed-missing-order-id.json",
      "__fixtures__/malformed-quantity-negative.json",
      "__fixtures__/open-order-not-cancelled.expected.json",
      "__fixtures__/open-order-not-cancelled.json",
      "package.json",
      "src/index.ts",
      "src/parse.ts",
      "src/payload-schema.ts",
      "src/reasons.ts",
      "src/version.ts",
      "test/adapter.test.ts",
      "test/scenarios.test.ts",
      "tsconfig.json",
      "tsup.config.ts",
      "vitest.config.ts",
    ];
    expect(Object.keys(scaffoldFiles(inside)).sort()).toEqual(common);
    expect(Object.keys(scaffoldFiles(outside)).sort()).toEqual([".changeset/config.json", ".gitignore", ...common].sort());
  });

  it.each([
    ["outside", outside],
    ["inside", inside],
  ] as const)("package.json (%s): types-first exports, dist only, no side effects, ESM and CJS", (_, options) => {
    const pkg = packageJsonOf(options);
    expect(pkg.name).toBe(options.packageName);
    expect(pkg.version).toBe("0.0.0");
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.files).toEqual(["dist"]);
    expect(pkg.main).toBe("./dist/index.cjs");
    expect(pkg.types).toBe("./dist/index.d.ts");
    expect(pkg.exports["./package.json"]).toBe("./package.json");
    const root = pkg.exports["."] as Record<string, Record<string, string>>;
    expect(Object.keys(root)).toEqual(["import", "require"]);
    expect(Object.entries(root["import"]!)).toEqual([
      ["types", "./dist/index.d.ts"],
      ["default", "./dist/index.js"],
    ]);
    expect(Object.entries(root["require"]!)).toEqual([
      ["types", "./dist/index.d.cts"],
      ["default", "./dist/index.cjs"],
    ]);
    expect(pkg.scripts).toMatchObject({ build: "tsup", typecheck: "tsc -p tsconfig.json", test: "vitest run" });
    // zod comes from core (`z` from @restock/core/fields): one copy for every adapter a host installs.
    expect(pkg.dependencies).toBeUndefined();
  });

  it("peers on @restock/core: workspace:^ inside the monorepo, the given semver range outside", () => {
    expect(packageJsonOf(inside).peerDependencies).toEqual({ "@restock/core": "workspace:^" });
    expect(packageJsonOf(inside).devDependencies["@restock/core"]).toBe("workspace:*");
    expect(packageJsonOf(outside).peerDependencies).toEqual({ "@restock/core": "^0.1.0" });
    expect(packageJsonOf(outside).devDependencies["@restock/core"]).toBe("^0.1.0");
  });

  it("uses catalog versions inside the monorepo and the catalog's exact values outside", () => {
    const insideDeps = { ...packageJsonOf(inside).dependencies, ...packageJsonOf(inside).devDependencies };
    expect(insideDeps).toEqual({
      "@restock/core": "workspace:*",
      "@types/node": "catalog:",
      tsup: "catalog:",
      typescript: "catalog:",
      vitest: "catalog:",
    });
    const outsidePkg = packageJsonOf(outside);
    const outsideDeps = { ...outsidePkg.dependencies, ...outsidePkg.devDependencies };
    for (const [name, version] of Object.entries(TOOL_VERSIONS)) {
      expect(catalogVersion(name), `${name} in the catalog`).toBe(version);
      expect(outsideDeps[name], name).toBe(version);
    }
    expect(outsidePkg.scripts).toMatchObject({ changeset: "changeset", release: "npm run build && changeset publish" });
  });

  it("writes the contract version of the core it was built with as a literal, and escapes the display name", () => {
    const index = scaffoldFiles(outside)["src/index.ts"]!;
    expect(index).toContain(`contractVersion: ${CONTRACT_VERSION},`);
    expect(index).toContain('displayName: "Etsy (Acme)",');
    expect(index).toContain("export default acmeEtsyAdapter;");
    const quoted = scaffoldFiles({ ...outside, displayName: 'Say "hi" \\ bye' })["src/index.ts"]!;
    expect(quoted).toContain('displayName: "Say \\"hi\\" \\\\ bye",');
  });

  it.each([
    ["outside", outside],
    ["inside", inside],
  ] as const)("(%s) takes the version from a build-time constant, never importing package.json into the bundle", (_, options) => {
    const files = scaffoldFiles(options);
    expect(files["src/index.ts"]).toContain('import { version } from "./version.js";');
    expect(files["src/index.ts"]).toContain("  version,\n");
    expect(files["src/version.ts"]).toContain("declare const __ADAPTER_VERSION__: string;");
    expect(files["src/version.ts"]).toContain("export const version: string = __ADAPTER_VERSION__;");
    for (const config of ["tsup.config.ts", "vitest.config.ts"]) {
      expect(files[config], config).toContain('import pkg from "./package.json" with { type: "json" };');
      expect(files[config], config).toContain("define: { __ADAPTER_VERSION__: JSON.stringify(pkg.version) },");
    }
    // Only src/ is bundled: the configs read package.json, no source file imports or requires it.
    const sources = Object.entries(files).filter(([path]) => path.startsWith("src/"));
    expect(sources.filter(([, text]) => /["'][^"'\n]*package\.json["']/.test(text)).map(([path]) => path)).toEqual([]);
  });

  it("points the tsconfig at the monorepo's base inside it, and stands alone outside", () => {
    expect(JSON.parse(scaffoldFiles(inside)["tsconfig.json"]!)).toEqual({
      extends: "../../tsconfig.base.json",
      include: ["src", "test", "*.config.ts"],
    });
    const standalone = JSON.parse(scaffoldFiles(outside)["tsconfig.json"]!) as { extends?: string; compilerOptions: { strict: boolean } };
    expect(standalone.extends).toBeUndefined();
    expect(standalone.compilerOptions.strict).toBe(true);
  });

  it.each([
    ["outside", outside],
    ["inside", inside],
  ] as const)("(%s) the README's reason table shows the rows of the generated src/reasons.ts", (_, options) => {
    const files = scaffoldFiles(options);
    const tableRows = [
      ...files["src/reasons.ts"]!.matchAll(/\{ code: ("[^"]*"), label: ("[^"]*"), outcome: ("[^"]*"), origin: ("[^"]*") \}/g),
    ].map((row) => row.slice(1).map((literal) => JSON.parse(literal) as string));
    const readme = files["README.md"]!;
    const readmeRows = readme
      .slice(readme.indexOf("| code | label | outcome | origin |"))
      .split("\n")
      .slice(2)
      .filter((line) => line.startsWith("|"))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim().replace(/^`(.*)`$/, "$1")),
      );
    expect(tableRows).toHaveLength(1);
    expect(readmeRows).toEqual(tableRows);
  });

  it("ships an .expected.json with every valid fixture, as the generated README says", () => {
    const files = scaffoldFiles(outside);
    const payloads = Object.keys(files).filter(
      (path) => path.startsWith("__fixtures__/") && !path.endsWith(".expected.json") && !path.startsWith("__fixtures__/malformed-"),
    );
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(files, payload).toHaveProperty([payload.replace(/\.json$/, ".expected.json")]);
    // The open order is no cancellation: its recorded result says so, and the kit holds the parse to it.
    expect(JSON.parse(files["__fixtures__/open-order-not-cancelled.expected.json"]!)).toEqual({
      cancellations: [],
      ignored: [{ kind: "open", reason: "not_a_cancellation", orderId: "EX-1002" }],
    });
    expect(files["README.md"]).toContain("each with a `<scenario>.expected.json`");
  });

  it("announces the package with a minor changeset", () => {
    expect(initialChangeset(outside)).toBe('---\n"@acme/restock-adapter-etsy": minor\n---\n\nNew adapter for Etsy (Acme).\n');
    expect(JSON.parse(scaffoldFiles(outside)[".changeset/config.json"]!)).toMatchObject({ access: "public", baseBranch: "main" });
  });
});

describe("coreRange", () => {
  it("is a caret on the version of the @restock/core the scaffold depends on", () => {
    const core = JSON.parse(readFileSync(repoPath("packages/core/package.json"), "utf8")) as { version: string };
    expect(coreRange()).toBe(`^${core.version}`);
  });
});
