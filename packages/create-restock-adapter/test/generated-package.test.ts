import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, cliPath, repoPath } from "./support/repo.js";
import { type AssertionResult, runNode, runTsc, runVitest } from "./support/run.js";
import { createSandbox } from "./support/sandbox.js";

// Generated packages are tested as their authors will run them, before anything is filled in:
// vitest (conformance kit + scenarios) and tsc. They live in a sandbox outside the repository
// whose node_modules links the real @restock/core, zod, vitest and typescript.
const sandbox = createSandbox("restock-generated");
const monorepo = join(sandbox.root, "monorepo");
const workspacePackage = join(monorepo, "packages/adapter-zz-scaffold");
const outsidePackage = join(sandbox.root, "outside/restock-adapter-zz-scaffold");
const emptiedPackage = join(sandbox.root, "outside/restock-adapter-zz-emptied");
const clockPackage = join(sandbox.root, "outside/restock-adapter-zz-clock");
const mutatingPackage = join(sandbox.root, "outside/restock-adapter-zz-mutating");
const wrongFieldPackage = join(sandbox.root, "outside/restock-adapter-zz-wrong-field");
// Built with tsup (what `build` runs and `npm publish` ships), apart from the ones above.
const builtWorkspacePackage = join(monorepo, "packages/adapter-zz-built");
const builtOutsidePackage = join(sandbox.root, "outside/restock-adapter-zz-built");

async function scaffold(args: string[], cwd: string): Promise<void> {
  const result = await runNode(cliPath, args, cwd);
  if (result.code !== 0) throw new Error(`create-restock-adapter ${args.join(" ")} failed: ${result.output}`);
}

const passed = (tests: AssertionResult[]) => tests.filter((test) => test.status === "passed").map((test) => test.title);
const failed = (tests: AssertionResult[]) => tests.filter((test) => test.status !== "passed");

// Titles that show the kit ran on the generated fixtures and the scenarios ran through the engine.
const expectedPassing = [
  "declares the contract version this core implements",
  "has a reason table",
  "every spec row is exercised by a fixture",
  "mutated payloads give PayloadError or a valid result, never another exception",
  "cancelled-customer-request",
  "open-order-not-cancelled",
  "malformed-missing-order-id",
  "malformed-quantity-negative",
  "malformed-cancelled-above-ordered",
  "a customer cancellation restores the cancelled line under Smart Logic",
  "an order that is still open is ignored, never restored",
];

beforeAll(async () => {
  // A copy of the monorepo's root as far as a workspace package sees it: the workspace file,
  // the shared tsconfig its tsconfig extends, the .changeset folder.
  mkdirSync(join(monorepo, ".changeset"), { recursive: true });
  copyFileSync(repoPath("pnpm-workspace.yaml"), join(monorepo, "pnpm-workspace.yaml"));
  copyFileSync(repoPath("tsconfig.base.json"), join(monorepo, "tsconfig.base.json"));
  mkdirSync(join(sandbox.root, "outside"));
  await Promise.all([
    scaffold(["zz-scaffold", "--workspace"], monorepo),
    scaffold(["zz-scaffold", "--package", "@acme/restock-adapter-zz-scaffold"], join(sandbox.root, "outside")),
    scaffold(["zz-emptied"], join(sandbox.root, "outside")),
    scaffold(["zz-clock"], join(sandbox.root, "outside")),
    scaffold(["zz-mutating"], join(sandbox.root, "outside")),
    scaffold(["zz-wrong-field"], join(sandbox.root, "outside")),
    scaffold(["zz-built", "--workspace"], monorepo),
    scaffold(["zz-built"], join(sandbox.root, "outside")),
  ]);
});

afterAll(() => sandbox.remove());

describe.concurrent("a package generated in the monorepo (--workspace)", () => {
  it("passes its own tests untouched", async () => {
    const { code, output, tests } = await runVitest(workspacePackage);
    expect(failed(tests), output).toEqual([]);
    expect(code).toBe(0);
    expect(passed(tests)).toEqual(expect.arrayContaining(expectedPassing));
  });

  it("typechecks against the monorepo's tsconfig.base.json", async () => {
    expect(readFileSync(join(workspacePackage, "tsconfig.json"), "utf8")).toContain('"extends": "../../tsconfig.base.json"');
    expect(await runTsc(workspacePackage)).toEqual({ code: 0, output: "" });
  });

  it("passes the repository's lint (biome ci) untouched", async () => {
    // The repository's biome.json, without its git integration (the sandbox is no repository).
    const config = JSON.parse(readFileSync(repoPath("biome.json"), "utf8")) as { vcs: unknown };
    writeFileSync(join(monorepo, "biome.json"), JSON.stringify({ ...config, vcs: { enabled: false } }));
    const result = await runNode(bin.biome, ["ci", "packages/adapter-zz-scaffold"], monorepo);
    expect(result.output).not.toMatch(/differs from formatting|lint\//);
    expect(result.code, result.output).toBe(0);
  });

  it("announces itself with a changeset in the monorepo's .changeset folder", () => {
    expect(readFileSync(join(monorepo, ".changeset/new-adapter-zz-scaffold.md"), "utf8")).toContain(
      '"@restock/adapter-zz-scaffold": minor',
    );
  });
});

describe.concurrent("a package generated for an outside team (npm create restock-adapter)", () => {
  it("passes its own tests untouched", async () => {
    const { code, output, tests } = await runVitest(outsidePackage);
    expect(failed(tests), output).toEqual([]);
    expect(code).toBe(0);
    expect(passed(tests)).toEqual(expect.arrayContaining(expectedPassing));
  });

  it("typechecks with its standalone tsconfig", async () => {
    expect(await runTsc(outsidePackage)).toEqual({ code: 0, output: "" });
  });

  it("versions its first release with its own changesets setup", async () => {
    const result = await runNode(bin.changeset, ["version"], outsidePackage);
    expect(result.code, result.output).toBe(0);
    const pkg = JSON.parse(readFileSync(join(outsidePackage, "package.json"), "utf8")) as { version: string };
    expect(pkg.version).toBe("0.1.0");
    expect(readFileSync(join(outsidePackage, "CHANGELOG.md"), "utf8")).toContain("## 0.1.0\n\n### Minor Changes\n\n- ");
    expect(existsSync(join(outsidePackage, ".changeset/new-adapter-zz-scaffold.md"))).toBe(false);
  });
});

describe("a generated package whose reason table was emptied", () => {
  it("fails the kit's reason-table check with a clear message, and nothing crashes", async () => {
    const reasonsFile = join(emptiedPackage, "src/reasons.ts");
    const original = readFileSync(reasonsFile, "utf8");
    const emptied = original.replace(/= \[[\s\S]*\];/, "= [];");
    expect(emptied).not.toBe(original);
    writeFileSync(reasonsFile, emptied);

    const { code, output, tests } = await runVitest(emptiedPackage);
    expect(code).not.toBe(0);
    // The kit's checks fail with their messages (the table is empty; the fixture's code is not in
    // it); the scenario test fails because its code is now unknown.
    expect(
      failed(tests)
        .map((test) => test.fullName)
        .sort(),
    ).toEqual([
      "Zz Emptied recorded payloads a customer cancellation restores the cancelled line under Smart Logic",
      "adapter conformance: zz-emptied has a reason table",
      "adapter conformance: zz-emptied reason codes the fixtures send are in the reason table, unless the fixture is named for an unknown one",
    ]);
    const tableFailure = failed(tests).find((test) => test.title === "has a reason table")!;
    expect(tableFailure.failureMessages.join("\n")).toContain(
      "the reason table is empty: add one row per marketplace code ({ code, label, outcome, origin }) to `reasons` in defineAdapter",
    );
    expect(output).not.toMatch(/TypeError|ReferenceError|Unhandled/);
    expect(tests.map((test) => test.failureMessages.join("\n")).join("\n")).not.toContain("TypeError");
    // Everything else in the kit still runs and passes on the generated fixtures.
    expect(passed(tests)).toEqual(expect.arrayContaining(["every spec row is exercised by a fixture", "cancelled-customer-request"]));
  });
});

/** Rewrites one generated file, checking the change took. */
function rewrite(file: string, change: (text: string) => string): void {
  const original = readFileSync(file, "utf8");
  const changed = change(original);
  expect(changed).not.toBe(original);
  writeFileSync(file, changed);
}

const failedTitles = (tests: AssertionResult[]) =>
  failed(tests)
    .map((test) => test.title)
    .sort();

describe.concurrent("the kit catches an adapter that breaks the contract", () => {
  it("one that reads the clock (every time, not now and then), and a misspelt skip entry", async () => {
    rewrite(join(clockPackage, "src/parse.ts"), (text) =>
      text.replace("occurredAt: payload.occurredAt ?? null", "occurredAt: new Date().toISOString()"),
    );
    rewrite(join(clockPackage, "test/adapter.test.ts"), (text) =>
      text.replace('fixtures: new URL("../__fixtures__", import.meta.url)', '$& , skip: ["has a reason tabel"]'),
    );
    const { code, tests } = await runVitest(clockPackage);
    expect(code).not.toBe(0);
    // Caught four times: the result changes with the clock (parsed again later, and in another
    // time zone), parse reads it, and the time is not the recorded one (cancelled-customer-request.expected.json).
    expect(failedTitles(tests)).toEqual([
      "cancelled-customer-request",
      "parse is synchronous and does no I/O",
      "parsing does not depend on the host's time zone",
      "parsing is deterministic and text, bytes and parsed JSON agree",
      "skip names only tests of the kit",
    ]);
    const messages = failed(tests)
      .flatMap((test) => test.failureMessages)
      .join("\n");
    expect(messages).toContain("cancelled-customer-request, parsed again at another time");
    expect(messages).toContain("cancelled-customer-request: new Date()");
    expect(messages).toContain("these skip entries match no test");
    expect(messages).toContain("has a reason tabel");
  });

  it("one that changes the parsed JSON it is given", async () => {
    rewrite(join(mutatingPackage, "src/parse.ts"), (text) =>
      text.replace(
        "const payload = parsePayload(CancellationPayload, readJson(raw));",
        'const payload = parsePayload(CancellationPayload, readJson(raw));\n  if (raw !== null && typeof raw === "object") Object.assign(raw, { seen: true });',
      ),
    );
    const { code, tests } = await runVitest(mutatingPackage);
    expect(code).not.toBe(0);
    expect(failedTitles(tests)).toEqual(["parsing is deterministic and text, bytes and parsed JSON agree"]);
    expect(failed(tests)[0]!.failureMessages.join("\n")).toContain("parse changed the parsed JSON it was given");
  });
});

describe("a generated package whose parse reads the quantity from the wrong field", () => {
  it("fails the recorded expectation of the example fixture, and its scenario", async () => {
    // The example line orders 3 units and cancels 2: reading orderedQuantity reports 3 cancelled.
    rewrite(join(wrongFieldPackage, "src/parse.ts"), (text) =>
      text.replace("quantity: line.cancelledQuantity,", "quantity: line.orderedQuantity,"),
    );
    const { code, tests } = await runVitest(wrongFieldPackage);
    expect(code).not.toBe(0);
    expect(failedTitles(tests)).toEqual([
      "a customer cancellation restores the cancelled line under Smart Logic",
      "cancelled-customer-request",
    ]);
    const recorded = failed(tests).find((test) => test.title === "cancelled-customer-request")!;
    expect(recorded.failureMessages.join("\n")).toContain("cancelled-customer-request.expected.json");
  });
});

describe.concurrent("a generated package, built", () => {
  it.each([
    ["in the monorepo", builtWorkspacePackage],
    ["outside, with core from a local path", builtOutsidePackage],
  ])("%s: its bundles carry the package's version, and nothing else from package.json", async (_, dir) => {
    // A version defineAdapter would not fall back to, and a local core as a team trying a core build would have.
    const manifestFile = join(dir, "package.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { version: string; devDependencies: Record<string, string> };
    manifest.version = "0.4.2";
    manifest.devDependencies["@restock/core"] = "file:../restock-core-local";
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

    const build = await runNode(bin.tsup, [], dir);
    expect(build.code, build.output).toBe(0);
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const bundle = readFileSync(join(dir, file), "utf8");
      for (const leak of ["devDependencies", "peerDependencies", "workspace:", "catalog:", "file:", '"scripts"', "publishConfig"]) {
        expect(bundle, `${file} holds ${leak}`).not.toContain(leak);
      }
    }

    // Both builds report the version, from import and from require.
    writeFileSync(
      join(dir, "print-version.mjs"),
      'import { createRequire } from "node:module";\n' +
        'const esm = await import("./dist/index.js");\n' +
        'const cjs = createRequire(import.meta.url)("./dist/index.cjs");\n' +
        "console.log(JSON.stringify([esm.default.version, cjs.default.version]));\n",
    );
    const run = await runNode(join(dir, "print-version.mjs"), [], dir);
    expect(run.code, run.output).toBe(0);
    expect(JSON.parse(run.output)).toEqual(["0.4.2", "0.4.2"]);
  });
});
