import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cliPath, repoPath } from "./support/repo.js";
import { runNode } from "./support/run.js";

// The built CLI, as `npm create restock-adapter` and `pnpm create-adapter` run it.
const cli = (args: string[], cwd: string) => runNode(cliPath, args, cwd);
const coreVersion = (JSON.parse(readFileSync(repoPath("packages/core/package.json"), "utf8")) as { version: string }).version;

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "restock-scaffold-cli-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("create-restock-adapter CLI", () => {
  it("prints usage with --help and exits 0", async () => {
    const result = await cli(["--help"], work);
    expect(result.code).toBe(0);
    expect(result.output).toContain("Usage: create-restock-adapter <id>");
  });

  it("exits 64 with usage when the id is missing, doubled, or an option is unknown", async () => {
    for (const args of [[], ["etsy", "ebay"], ["etsy", "--colour", "red"]]) {
      const result = await cli(args, work);
      expect(result.code, args.join(" ")).toBe(64);
      expect(result.output).toContain("Usage:");
    }
  });

  it("exits 1 naming the problem for a bad id and for an existing folder", async () => {
    const bad = await cli(["Acme_Etsy"], work);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('adapter id "Acme_Etsy" must be at most 64 lower-case');
    mkdirSync(join(work, "restock-adapter-etsy"));
    writeFileSync(join(work, "restock-adapter-etsy/notes.txt"), "mine");
    const existing = await cli(["etsy"], work);
    expect(existing.code).toBe(1);
    expect(existing.output).toContain("restock-adapter-etsy already exists and is not empty");
  });

  it("creates an outside package with the package name given, peering on the scaffold's core", async () => {
    const result = await cli(["acme-etsy", "--package", "@acme/restock-adapter-etsy", "--name", "Etsy by Acme"], work);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("Created @acme/restock-adapter-etsy in restock-adapter-etsy (22 files).");
    const pkg = JSON.parse(readFileSync(join(work, "restock-adapter-etsy/package.json"), "utf8")) as {
      name: string;
      peerDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe("@acme/restock-adapter-etsy");
    expect(pkg.peerDependencies).toEqual({ "@restock/core": `^${coreVersion}` });
    expect(readFileSync(join(work, "restock-adapter-etsy/src/index.ts"), "utf8")).toContain('displayName: "Etsy by Acme"');
    expect(existsSync(join(work, "restock-adapter-etsy/.changeset/new-adapter-acme-etsy.md"))).toBe(true);
  });

  it("with --workspace, writes packages/adapter-<id> and a changeset in the monorepo root, from any folder inside it", async () => {
    writeFileSync(join(work, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    mkdirSync(join(work, "packages/core"), { recursive: true });
    const result = await cli(["acme-etsy", "--workspace"], join(work, "packages/core"));
    expect(result.code, result.output).toBe(0);
    const pkg = JSON.parse(readFileSync(join(work, "packages/adapter-acme-etsy/package.json"), "utf8")) as { name: string };
    expect(pkg.name).toBe("@restock/adapter-acme-etsy");
    expect(readFileSync(join(work, ".changeset/new-adapter-acme-etsy.md"), "utf8")).toBe(
      '---\n"@restock/adapter-acme-etsy": minor\n---\n\nNew adapter for Acme Etsy.\n',
    );
  });

  it("with --workspace, refuses a --dir outside packages/ (not in the workspace; its changeset would break changeset status), writing nothing", async () => {
    writeFileSync(join(work, "pnpm-workspace.yaml"), "packages:\n  - packages/*\n");
    mkdirSync(join(work, "packages"), { recursive: true });
    for (const dir of ["packages/adapters/zz-deep", "elsewhere/zz-deep"]) {
      const result = await cli(["zz-deep", "--workspace", "--dir", dir], work);
      expect(result.code, result.output).toBe(64);
      expect(result.output).toContain("--dir must be a folder directly under");
      expect(existsSync(join(work, dir))).toBe(false);
    }
    expect(existsSync(join(work, ".changeset/new-adapter-zz-deep.md"))).toBe(false);
    expect((await cli(["zz-deep", "--workspace", "--dir", "packages/zz-deep"], work)).code).toBe(0);
  });

  it("refuses --workspace outside a pnpm workspace", async () => {
    const result = await cli(["acme-etsy", "--workspace"], work);
    expect(result.code).toBe(1);
    expect(result.output).toContain("--workspace must run inside the restock monorepo");
    expect(existsSync(join(work, "adapter-acme-etsy"))).toBe(false);
  });
});
