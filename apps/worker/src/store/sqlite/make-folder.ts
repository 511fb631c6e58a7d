import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

/**
 * `mkdirSync(folder, { recursive: true })` without its endless loop on Node 20 where the kernel
 * refuses to create a folder with ENOENT under one that exists (procfs: `/proc/self/x` made
 * `restock serve` spin instead of exiting 78): missing ancestors are created one at a time, top
 * down, and the first refusal is thrown as it is.
 */
export function makeFolder(folder: string): void {
  const missing: string[] = [];
  for (let current = folder; ; current = dirname(current)) {
    try {
      mkdirSync(current);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EEXIST") {
        existingFolder(current, error);
        break;
      }
      // ENOENT: the parent is missing (or, under procfs, the kernel refuses: creating it again below throws).
      if (code !== "ENOENT" || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // Another process made it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      existingFolder(path, error);
    }
  }
}

/** EEXIST is fine for a folder (or a link to one); a file, or a link to nothing, is the mkdir error it was. */
function existingFolder(path: string, error: unknown): void {
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {}
  if (!folder) throw error;
}
