import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, repoPath } from "./support/repo.js";
import { runNode } from "./support/run.js";
import { createSandbox } from "./support/sandbox.js";

// The repository's real release configuration (.changeset/config.json, workspace file, package
// manifests) in a scratch workspace with core, two adapters, the scaffold and the (ignored)
// worker. Versions are set to a released state (0.1.0) so the bumps can be asserted exactly.
const sandbox = createSandbox("restock-release");
const root = join(sandbox.root, "workspace");
const packages = {
  core: "packages/core",
  amazon: "packages/adapter-amazon",
  ebay: "packages/adapter-ebay",
  scaffold: "packages/create-restock-adapter",
  worker: "apps/worker",
} as const;
type Name = keyof typeof packages;
const workerVersion = (JSON.parse(readFileSync(repoPath("apps/worker/package.json"), "utf8")) as { version: string }).version;

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const manifestText = (name: Name) => readFileSync(join(root, packages[name], "package.json"), "utf8");
const manifest = (name: Name) => JSON.parse(manifestText(name)) as Manifest;
const versions = () => Object.fromEntries(Object.keys(packages).map((name) => [name, manifest(name as Name).version]));

function copy(relative: string): void {
  mkdirSync(dirname(join(root, relative)), { recursive: true });
  copyFileSync(repoPath(relative), join(root, relative));
}

async function version(bump: "patch" | "minor"): Promise<void> {
  writeFileSync(join(root, `.changeset/core-${bump}.md`), `---\n"@restock/core": ${bump}\n---\n\nA ${bump} change to core.\n`);
  const result = await runNode(bin.changeset, ["version"], root);
  if (result.code !== 0) throw new Error(`changeset version failed: ${result.output}`);
}

/** The package.json pnpm would publish for an adapter: `workspace:` ranges rewritten to real ones. */
function packedManifest(name: Name): Manifest {
  const dir = join(root, packages[name]);
  // What `pnpm install` links for the workspace dependency; pnpm pack reads the version through it.
  if (!existsSync(join(dir, "node_modules/@restock/core"))) {
    mkdirSync(join(dir, "node_modules/@restock"), { recursive: true });
    symlinkSync(join(root, packages.core), join(dir, "node_modules/@restock/core"), "dir");
  }
  const pnpm = process.env["npm_execpath"]?.includes("pnpm") ? [process.execPath, process.env["npm_execpath"]] : ["pnpm"];
  const out = join(sandbox.root, `${name}.tgz`);
  execFileSync(pnpm[0]!, [...pnpm.slice(1), "pack", "--out", out], { cwd: dir, stdio: "pipe" });
  return JSON.parse(execFileSync("tar", ["-xOzf", out, "package/package.json"], { encoding: "utf8" })) as Manifest;
}

beforeAll(() => {
  for (const file of ["package.json", "pnpm-workspace.yaml", ".changeset/config.json"]) copy(file);
  for (const dir of Object.values(packages)) copy(`${dir}/package.json`);
  // Listed in the configuration's `ignore`, which changesets refuses when the package is absent.
  copy("examples/adapter-mirakl/package.json");
  for (const name of ["core", "amazon", "ebay", "scaffold"] as const) {
    const path = join(root, packages[name], "package.json");
    writeFileSync(path, `${JSON.stringify({ ...manifest(name), version: "0.1.0" }, null, 2)}\n`);
  }
});

afterAll(() => sandbox.remove());

describe("changeset version with the repository's configuration", () => {
  it("a patch to core bumps core only: adapters whose workspace:^ peer range still matches are left alone", async () => {
    const adaptersBefore = [manifestText("amazon"), manifestText("ebay")];
    await version("patch");
    expect(versions()).toEqual({ core: "0.1.1", amazon: "0.1.0", ebay: "0.1.0", scaffold: "0.1.0", worker: workerVersion });
    expect([manifestText("amazon"), manifestText("ebay")]).toEqual(adaptersBefore);
    expect(manifest("amazon").peerDependencies).toEqual({ "@restock/core": "workspace:^" });
    expect(readFileSync(join(root, packages.core, "CHANGELOG.md"), "utf8")).toContain(
      "## 0.1.1\n\n### Patch Changes\n\n- A patch change to core.",
    );
  });

  it("a minor to core while it is 0.x leaves ^0.1: every adapter gets a major, the scaffold a patch, the worker nothing", async () => {
    const workerBefore = manifestText("worker");
    await version("minor");
    expect(versions()).toEqual({ core: "0.2.0", amazon: "1.0.0", ebay: "1.0.0", scaffold: "0.1.1", worker: workerVersion });
    expect(manifestText("worker")).toBe(workerBefore);
    // The manifest keeps workspace:^; publishing turns it into a caret on the new core.
    expect(manifest("amazon").peerDependencies).toEqual({ "@restock/core": "workspace:^" });
    expect(packedManifest("amazon").peerDependencies).toEqual({ "@restock/core": "^0.2.0" });
    expect(readFileSync(join(root, packages.ebay, "CHANGELOG.md"), "utf8")).toContain(
      "## 1.0.0\n\n### Patch Changes\n\n- Updated dependencies\n  - @restock/core@0.2.0",
    );
    expect(manifest("scaffold").dependencies).toEqual({ "@restock/core": "workspace:^" });
  });
});
