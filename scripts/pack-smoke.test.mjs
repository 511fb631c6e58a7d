// Packs @restock/core and each adapter as npm would publish them, installs core plus ONE adapter
// into a throwaway project outside the workspace, and evaluates a recorded payload from ESM and
// from CJS. This is what a host service that installs only the adapter it needs will do.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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

function installHost(name, dependencies) {
  const project = join(work, name);
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name, private: true, dependencies }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: project, stdio: "pipe" });
  return project;
}

// Runs in the host, given core as import() and as require() load it (serialized into check.mjs).
function crossBuildChecks(esm, cjs) {
  const builds = { esm, cjs };
  const checks = {};
  for (const [from, a] of Object.entries(builds)) {
    for (const [to, b] of Object.entries(builds)) {
      const thrown = {
        PayloadError: new a.PayloadError("bad", "lines[0].sku"),
        AdapterError: new a.AdapterError("x", "broke"),
        UnknownMarketplaceError: new a.UnknownMarketplaceError("nowhere"),
        AdapterDefinitionError: new a.AdapterDefinitionError("bad definition"),
      };
      for (const [name, error] of Object.entries(thrown)) checks[`${from} ${name} instanceof ${to} ${name}`] = error instanceof b[name];
      checks[`${from} PayloadError: ${to} isPayloadError`] = b.isPayloadError(thrown.PayloadError);
      // Still only its own kind.
      checks[`${from} AdapterError not instanceof ${to} PayloadError`] = !(thrown.AdapterError instanceof b.PayloadError);
      // A subclass keeps the ordinary check: its instances are PayloadErrors of either build, but
      // a plain PayloadError is not one of the subclass.
      class LostDigits extends a.PayloadError {}
      checks[`${from} subclass instanceof ${to} PayloadError`] = new LostDigits("x") instanceof b.PayloadError;
      checks[`${to} PayloadError not instanceof ${from} subclass`] = !(new b.PayloadError("x") instanceof LostDigits);
      checks[`${from} subclass instanceof itself`] = new LostDigits("x") instanceof LostDigits;
    }
    checks[`Error not instanceof ${from} PayloadError`] = !(new Error("bad") instanceof a.PayloadError);
    checks[`{} not instanceof ${from} PayloadError`] = !({} instanceof a.PayloadError);
  }
  return { distinct: esm.PayloadError !== cjs.PayloadError, checks };
}

// A host that require()s core while an adapter import()s it (or the reverse) holds both builds
// of core in one process, each with its own classes: instanceof must hold across them.
test("@restock/core's errors are instanceof across its ESM and CJS builds in one process", () => {
  const project = installHost("host-core-builds", { "@restock/core": `file:${tarballs.core}` });
  writeFileSync(
    join(project, "check.mjs"),
    `import * as esm from "@restock/core";
import { createRequire } from "node:module";
const cjs = createRequire(import.meta.url)("@restock/core");
console.log(JSON.stringify((${crossBuildChecks})(esm, cjs)));`,
  );
  const out = JSON.parse(execFileSync("node", ["check.mjs"], { cwd: project, encoding: "utf8" }));
  assert.ok(out.distinct, "the host loaded two builds of core (else this checks nothing)");
  assert.ok(Object.keys(out.checks).length > 30);
  const failed = Object.entries(out.checks)
    .filter(([, ok]) => !ok)
    .map(([check]) => check);
  assert.deepEqual(failed, []);
});

// MIT asks for its notice to travel with the code: every tarball carries the licence text.
test("every tarball holds its LICENSE and README beside dist", () => {
  for (const [name, tarball] of Object.entries(tarballs)) {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    for (const file of ["package/LICENSE", "package/README.md", "package/package.json"]) {
      assert.ok(files.includes(file), `${name}: ${file} is not in the tarball`);
    }
  }
});

// @restock/core/testing imports vitest, which refuses require(): it is published as ESM only.
test("@restock/core/testing is ESM only: require() gets a clear not-exported error, not vitest's", () => {
  const files = execFileSync("tar", ["-tzf", tarballs.core], { encoding: "utf8" }).split("\n");
  assert.deepEqual(
    files.filter((file) => file.startsWith("package/dist/testing/") && /\.(cjs|d\.cts)(\.map)?$/.test(file)),
    [],
    "the tarball holds no CJS build of testing",
  );
  const project = installHost("host-core-testing", { "@restock/core": `file:${tarballs.core}` });
  writeFileSync(
    join(project, "check.cjs"),
    `let code = "loaded";
try { require("@restock/core/testing"); } catch (error) { code = error.code ?? error.message; }
console.log(JSON.stringify({ code, fields: typeof require("@restock/core/fields").Sku }));`,
  );
  writeFileSync(join(project, "check.mjs"), 'console.log(JSON.stringify(import.meta.resolve("@restock/core/testing")));');
  const fromCjs = JSON.parse(execFileSync("node", ["check.cjs"], { cwd: project, encoding: "utf8" }));
  assert.deepEqual(fromCjs, { code: "ERR_PACKAGE_PATH_NOT_EXPORTED", fields: "object" });
  const resolved = JSON.parse(execFileSync("node", ["check.mjs"], { cwd: project, encoding: "utf8" }));
  assert.match(resolved, /\/node_modules\/@restock\/core\/dist\/testing\/index\.js$/);
});

function firstFixture(adapter) {
  const dir = join(root, "packages", adapter, "__fixtures__");
  const file = readdirSync(dir)
    .filter((f) => !f.startsWith("malformed-") && (f.endsWith(".json") || f.endsWith(".xml")))
    .sort()[0];
  return readFileSync(join(dir, file), "utf8");
}

for (const adapter of adapters) {
  test(`@restock/${adapter} installs alone with core and evaluates from ESM and CJS`, () => {
    const pkgName = `@restock/${adapter}`;
    const project = installHost(`host-${adapter}`, {
      "@restock/core": `file:${tarballs.core}`,
      [pkgName]: `file:${tarballs[adapter]}`,
    });
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
    // zod comes from core (`z` from @restock/core/fields): the adapter brings no copy of its own,
    // so a host holding another zod major does not get one nested zod per adapter.
    assert.equal(published.dependencies?.zod, undefined, `${pkgName} depends on zod itself`);
    assert.ok(!existsSync(join(project, "node_modules", pkgName, "node_modules", "zod")), `${pkgName} got its own zod`);
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
