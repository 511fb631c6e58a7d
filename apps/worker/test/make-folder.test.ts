import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { makeFolder } from "../src/store/sqlite/make-folder.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir("restock-make-folder-");

test("creates every missing folder of a path, and leaves one that exists as it is", () => {
  const deep = join(dir, "a", "b", "c");
  makeFolder(deep);
  expect(statSync(deep).isDirectory()).toBe(true);
  makeFolder(deep);
  makeFolder(join(dir, "a"));
  expect(statSync(deep).isDirectory()).toBe(true);
});

test("throws the first refusal: a file in the way, or a folder procfs will not create (instead of looping)", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  expect(() => makeFolder(join(file, "sub", "deeper"))).toThrow(expect.objectContaining({ code: "ENOTDIR" }));
  expect(() => makeFolder("/proc/self/restock-test/deeper")).toThrow(expect.objectContaining({ code: "ENOENT" }));
});
