import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ScaffoldOptions, scaffoldAdapter, scaffoldFiles } from "../src/index.js";

const options: ScaffoldOptions = {
  id: "acme-etsy",
  displayName: "Acme Etsy",
  packageName: "@acme/restock-adapter-etsy",
  workspace: false,
  coreRange: "^0.1.0",
};

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "restock-scaffold-unit-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("scaffoldAdapter", () => {
  it("writes every template file and the first changeset inside the package", () => {
    const dir = join(work, "restock-adapter-etsy");
    const result = scaffoldAdapter(dir, options);
    const expected = [...Object.keys(scaffoldFiles(options)), ".changeset/new-adapter-acme-etsy.md"].map((path) => join(dir, path));
    expect(result.files.sort()).toEqual(expected.sort());
    expect(readFileSync(join(dir, "src/reasons.ts"), "utf8")).toBe(scaffoldFiles(options)["src/reasons.ts"]);
    expect(readFileSync(join(dir, ".changeset/new-adapter-acme-etsy.md"), "utf8")).toContain('"@acme/restock-adapter-etsy": minor');
  });

  it("puts the changeset in the monorepo's .changeset folder in workspace mode", () => {
    const changesets = join(work, ".changeset");
    mkdirSync(changesets);
    const dir = join(work, "packages/adapter-acme-etsy");
    scaffoldAdapter(dir, { ...options, packageName: "@restock/adapter-acme-etsy", workspace: true }, changesets);
    expect(readdirSync(changesets)).toEqual(["new-adapter-acme-etsy.md"]);
    expect(existsSync(join(dir, ".changeset"))).toBe(false);
  });

  it.each(["Acme", "acme_etsy", "acme--etsy", "-acme", ""])("refuses the id %j and writes nothing", (id) => {
    const dir = join(work, "pkg");
    expect(() => scaffoldAdapter(dir, { ...options, id })).toThrow(`adapter id "${id}"`);
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses an invalid package name and writes nothing", () => {
    const dir = join(work, "pkg");
    expect(() => scaffoldAdapter(dir, { ...options, packageName: "Acme/Etsy" })).toThrow('package name "Acme/Etsy"');
    expect(existsSync(dir)).toBe(false);
  });

  it("fills an empty folder, or one holding only .git (a new repository)", () => {
    for (const name of ["empty", "new-repo"]) {
      const dir = join(work, name);
      mkdirSync(dir);
      if (name === "new-repo") mkdirSync(join(dir, ".git"));
      const result = scaffoldAdapter(dir, options);
      expect(result.files).toContain(join(dir, "package.json"));
      expect(existsSync(join(dir, "src/index.ts"))).toBe(true);
    }
  });

  it("refuses a folder that holds anything and leaves its contents alone", () => {
    const dir = join(work, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "keep.txt"), "mine");
    expect(() => scaffoldAdapter(dir, options)).toThrow(`${dir} already exists and is not empty`);
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
    expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("mine");
  });

  it("refuses to overwrite a changeset of the same name", () => {
    const changesets = join(work, ".changeset");
    mkdirSync(changesets);
    writeFileSync(join(changesets, "new-adapter-acme-etsy.md"), "theirs");
    const dir = join(work, "packages/adapter-acme-etsy");
    expect(() => scaffoldAdapter(dir, { ...options, workspace: true }, changesets)).toThrow("new-adapter-acme-etsy.md already exists");
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(join(changesets, "new-adapter-acme-etsy.md"), "utf8")).toBe("theirs");
  });

  it("refuses workspace mode without the monorepo's .changeset folder", () => {
    expect(() => scaffoldAdapter(join(work, "pkg"), { ...options, workspace: true })).toThrow(
      "workspace mode needs the monorepo's .changeset folder",
    );
  });
});
