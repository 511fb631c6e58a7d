// The next release as changesets plans it (`changeset status --output`). An adapter's peer range on
// core is `workspace:^`: when core's bump leaves that range, changesets gives every adapter a major
// bump that no changeset asked for (before core was first published, its pending minors would have
// released every adapter as 1.0.0). Unpublished, core's pending changes are patches to its 0.1.0.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
