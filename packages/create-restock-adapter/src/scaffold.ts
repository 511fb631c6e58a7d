import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { assertAdapterId, assertDisplayName, assertPackageName, ScaffoldError } from "./names.js";
import { initialChangeset, type ScaffoldOptions, scaffoldFiles } from "./templates/index.js";

export interface ScaffoldResult {
  dir: string;
  /** Absolute paths of every file written, the changeset included. */
  files: string[];
}

/**
 * Writes a new adapter package into `dir` and its first changeset into `changesetDir` (the
 * monorepo's `.changeset` folder in workspace mode; the package's own otherwise). Refuses bad
 * names and a folder that holds anything before writing anything.
 */
export function scaffoldAdapter(dir: string, options: ScaffoldOptions, changesetDir?: string): ScaffoldResult {
  assertAdapterId(options.id);
  assertPackageName(options.packageName);
  assertDisplayName(options.displayName);
  if (options.workspace && changesetDir === undefined) {
    throw new ScaffoldError("workspace mode needs the monorepo's .changeset folder");
  }
  if (existsSync(dir) && !isEmptyFolder(dir)) throw new ScaffoldError(`${dir} already exists and is not empty`);
  const changeset = join(changesetDir ?? join(dir, ".changeset"), `new-adapter-${options.id}.md`);
  if (existsSync(changeset)) throw new ScaffoldError(`${changeset} already exists`);

  const written: string[] = [];
  for (const [path, contents] of Object.entries(scaffoldFiles(options))) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, contents);
    written.push(target);
  }
  mkdirSync(dirname(changeset), { recursive: true });
  writeFileSync(changeset, initialChangeset(options));
  written.push(changeset);
  return { dir, files: written };
}

/**
 * A folder the scaffold may fill: empty, or holding only `.git` (a new repository, cloned empty or
 * made with `git init`, the usual start of a package of its own).
 */
function isEmptyFolder(dir: string): boolean {
  return statSync(dir).isDirectory() && readdirSync(dir).every((entry) => entry === ".git");
}
