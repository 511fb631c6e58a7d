// The next release as changesets plans it (`changeset status --output`). An adapter's peer range on
// core is `workspace:^`: when core's bump leaves that range, changesets gives every adapter a major
// bump that no changeset asked for (before core was first published, its pending minors would have
// released every adapter as 1.0.0). Unpublished, core's pending changes are patches to its 0.1.0.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = new URL("..", import.meta.url).pathname;

function releasePlan() {
  const dir = mkdtempSync(join(tmpdir(), "restock-release-plan-"));
  try {
    const file = join(dir, "plan.json");
    // --output is joined to the working directory, even when absolute.
    execFileSync(process.execPath, [join(root, "node_modules/@changesets/cli/bin.js"), "status", `--output=${relative(root, file)}`], {
      cwd: root,
      stdio: "ignore",
    });
    return JSON.parse(readFileSync(file, "utf8"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("every package is bumped as its own changesets ask, never to a major none asked for", () => {
  const plan = releasePlan();
  const asked = new Map();
  for (const changeset of plan.changesets) {
    for (const release of changeset.releases) asked.set(release.name, [...(asked.get(release.name) ?? []), release.type]);
  }
  const unasked = plan.releases
    .filter((release) => release.type === "major" && !asked.get(release.name)?.includes("major"))
    .map((release) => `${release.name} ${release.oldVersion} -> ${release.newVersion}`);
  assert.deepEqual(unasked, [], "majors that no changeset asked for (a dependency's bump left a peer range)");
});

/** Every workspace package (pnpm-workspace.yaml's `dir/*` and `dir` entries) with its manifest. */
function workspacePackages() {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const list = yaml.slice(yaml.indexOf("packages:")).split("\n").slice(1);
  const patterns = [];
  for (const line of list) {
    const entry = /^\s+-\s+["']?([^"'\s]+)["']?\s*$/.exec(line);
    if (!entry) break;
    patterns.push(entry[1]);
  }
  assert.ok(patterns.length > 0, "pnpm-workspace.yaml lists its packages");
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) }));
}

// `changeset publish` skips only packages marked private: one that is merely listed in `ignore`
// gets no version bumps but is published as it stands, with whatever version it holds.
test("every package changesets ignores is private, so changeset publish leaves it unpublished", () => {
  const config = JSON.parse(readFileSync(join(root, ".changeset/config.json"), "utf8"));
  const packages = workspacePackages();
  const ignored = [];
  for (const pattern of config.ignore ?? []) {
    // changesets reads an entry as a glob over package names; ours are names or `@scope/*`.
    const match = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", "[^/]*")}$`);
    const hits = packages.filter(({ manifest }) => match.test(manifest.name));
    assert.ok(hits.length > 0, `ignore entry "${pattern}" names no workspace package`);
    ignored.push(...hits);
  }
  const published = ignored.filter(({ manifest }) => manifest.private !== true).map(({ dir, manifest }) => `${manifest.name} (${dir})`);
  assert.deepEqual(published, [], 'ignored by changesets but not "private": true, so changeset publish would publish them');
});
