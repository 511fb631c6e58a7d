import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { initialChangeset, type ScaffoldOptions, scaffoldFiles } from "./templates.js";

export interface ScaffoldResult {
  dir: string;
  files: string[];
}

/** Writes a new adapter package into `dir`; refuses to overwrite an existing folder. */
export function scaffoldAdapter(dir: string, options: ScaffoldOptions, changesetDir?: string): ScaffoldResult {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(options.id)) {
    throw new Error(`adapter id "${options.id}" must be lower-case letters, digits and dashes`);
  }
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  const files = scaffoldFiles(options);
  const written: string[] = [];
  for (const [path, contents] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents);
    written.push(target);
  }
  const changesets = changesetDir ?? join(dir, ".changeset");
  mkdirSync(changesets, { recursive: true });
  const changeset = join(changesets, `new-adapter-${options.id}.md`);
  writeFileSync(changeset, initialChangeset(options));
  written.push(changeset);
  return { dir, files: written };
}
