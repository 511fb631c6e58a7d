import { mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { makeFolder } from "../src/store/sqlite/make-folder.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir("restock-make-folder-");

test("creates every missing folder of a path, and leaves one that exists (or a link to one) as it is", () => {
  const deep = join(dir, "a", "b", "c");
  makeFolder(deep);
  expect(statSync(deep).isDirectory()).toBe(true);
  makeFolder(deep);
  makeFolder(join(dir, "a"));
  symlinkSync(join(dir, "a"), join(dir, "link-to-a"));
  makeFolder(join(dir, "link-to-a", "b", "d"));
  expect(statSync(join(dir, "a", "b", "d")).isDirectory()).toBe(true);
});

test("throws mkdir's error for a file in the way, a file where the folder goes, or a link to nothing", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "");
  expect(() => makeFolder(join(file, "sub", "deeper"))).toThrow(expect.objectContaining({ code: "ENOTDIR", syscall: "mkdir" }));
  expect(() => makeFolder(file)).toThrow(expect.objectContaining({ code: "EEXIST", syscall: "mkdir" }));
  mkdirSync(join(dir, "links"));
  symlinkSync(join(dir, "nowhere", "target"), join(dir, "links", "dangling"));
  expect(() => makeFolder(join(dir, "links", "dangling"))).toThrow(expect.objectContaining({ code: "EEXIST", syscall: "mkdir" }));
});

// procfs: Linux only.
test.runIf(process.platform === "linux")("throws the kernel's refusal under procfs instead of looping (Node 20's recursive mkdir)", () => {
  expect(() => makeFolder("/proc/self/restock-test/deeper")).toThrow(expect.objectContaining({ code: "ENOENT", syscall: "mkdir" }));
});
