// Packs @restock/core and each adapter as npm would publish them, installs core plus ONE adapter
// into a throwaway project outside the workspace, and evaluates a recorded payload from ESM and
// from CJS. This is what a host service that installs only the adapter it needs will do.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const adapters = readdirSync(join(root, "packages")).filter((name) => name.startsWith("adapter-"));
const work = mkdtempSync(join(tmpdir(), "restock-pack-"));
const tarballs = {};

// Run the pnpm that runs us (npx pnpm@10 puts none on PATH for grandchildren on some setups).
const pnpm = process.env.npm_execpath?.includes("pnpm") ? [process.execPath, process.env.npm_execpath] : ["pnpm"];

function pack(dir) {
  // pnpm pack rewrites workspace:^ ranges to the real versions, as publishing does.
  const out = execFileSync(pnpm[0], [...pnpm.slice(1), "pack", "--pack-destination", work], { cwd: dir, encoding: "utf8" });
  const file = out.trim().split("\n").pop().trim();
  return file.startsWith("/") ? file : join(work, file);
}

before(() => {
  tarballs.core = pack(join(root, "packages/core"));
  for (const adapter of adapters) tarballs[adapter] = pack(join(root, "packages", adapter));
});

after(() => rmSync(work, { recursive: true, force: true }));

function firstFixture(adapter) {
  const dir = join(root, "packages", adapter, "__fixtures__");
  const file = readdirSync(dir)
    .filter((f) => !f.startsWith("malformed-") && (f.endsWith(".json") || f.endsWith(".xml")))
    .sort()[0];
  return readFileSync(join(dir, file), "utf8");
}

for (const adapter of adapters) {
  test(`@restock/${adapter} installs alone with core and evaluates from ESM and CJS`, () => {
    const project = join(work, `host-${adapter}`);
    mkdirSync(project);
    const pkgName = `@restock/${adapter}`;
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({
        name: `host-${adapter}`,
        private: true,
        dependencies: { "@restock/core": `file:${tarballs.core}`, [pkgName]: `file:${tarballs[adapter]}` },
      }),
    );
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: "pipe" });
    writeFileSync(join(project, "payload.txt"), firstFixture(adapter));
    const program = (load) => `${load}
const { readFileSync } = require("node:fs");
const adapter = adapterModule.default ?? Object.values(adapterModule).find((v) => v && v.contractVersion === 1);
const engine = core.createEngine({ adapters: [adapter] });
const result = engine.evaluate({ marketplace: adapter.id, mode: "smart", payload: readFileSync("payload.txt", "utf8") });
console.log(JSON.stringify({ id: adapter.id, version: adapter.version, n: result.cancellations.length + result.ignored.length, result }));`;
    const esm = `import * as core from "@restock/core"; import * as adapterModule from "${pkgName}"; import { createRequire } from "node:module"; const require = createRequire(import.meta.url);`;
    const cjs = `const core = require("@restock/core"); const adapterModule = require("${pkgName}");`;
    writeFileSync(join(project, "check.mjs"), program(esm));
    writeFileSync(join(project, "check.cjs"), program(cjs));
    const fromEsm = JSON.parse(execFileSync("node", ["check.mjs"], { cwd: project, encoding: "utf8" }));
    const fromCjs = JSON.parse(execFileSync("node", ["check.cjs"], { cwd: project, encoding: "utf8" }));
    assert.ok(fromEsm.n > 0, "the payload produced cancellations or ignored events");
    assert.deepEqual(fromCjs, fromEsm);
    // Only what the host asked for (and zod) was installed.
    const installed = readdirSync(join(project, "node_modules/@restock")).sort();
    assert.deepEqual(installed, ["core", adapter].sort());
    // The adapter reports the version it was published as, and the published code carries that
    // version only: no part of package.json (dev tools, unpublished workspace: or catalog: ranges).
    const published = JSON.parse(readFileSync(join(project, "node_modules", pkgName, "package.json"), "utf8"));
    assert.equal(fromEsm.version, published.version);
    for (const name of installed) {
      const dist = join(project, "node_modules/@restock", name, "dist");
      for (const file of readdirSync(dist, { recursive: true }).filter((f) => statSync(join(dist, f)).isFile())) {
        const text = readFileSync(join(dist, file), "utf8");
        for (const leak of ["devDependencies", "workspace:", "catalog:"]) {
          assert.ok(!text.includes(leak), `@restock/${name}/dist/${file} holds "${leak}": package.json was bundled`);
        }
      }
    }
  });
}
