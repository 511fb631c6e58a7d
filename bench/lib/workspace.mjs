// The built packages the benchmarks measure (packages/*/dist, apps/worker/dist): `pnpm bench`
// builds them first, so no TypeScript runner is needed here.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WORKER_DIR = join(ROOT, "apps/worker");
export const WORKER_CLI = join(WORKER_DIR, "dist/cli.js");

/** The adapters the worker loads by default, by marketplace id, with their package folders. */
export const ADAPTERS = [
  ["amazon", "adapter-amazon"],
  ["ebay", "adapter-ebay"],
  ["walmart", "adapter-walmart"],
  ["shopify", "adapter-shopify"],
  ["wish", "adapter-wish"],
  ["newegg", "adapter-newegg"],
  ["reverb", "adapter-reverb"],
  ["wayfair", "adapter-wayfair"],
  ["no-reason", "adapter-no-reason"],
].map(([id, folder]) => ({ id, dir: join(ROOT, "packages", folder) }));

function importBuilt(file) {
  if (!existsSync(file)) throw new Error(`${file} is missing: build first (pnpm bench builds everything)`);
  return import(pathToFileURL(file).href);
}

export const importCore = () => importBuilt(join(ROOT, "packages/core/dist/index.js"));
export const importWorker = () => importBuilt(join(WORKER_DIR, "dist/index.js"));

export async function importAdapter(adapter) {
  const module = await importBuilt(join(adapter.dir, "dist/index.js"));
  return module.default;
}

/** Loads a dependency the way the worker resolves it (fastify, better-sqlite3, pg, fast-xml-parser). */
export function requireFrom(packageDir, name) {
  return createRequire(join(packageDir, "package.json"))(name);
}

/** A package's `__fixtures__`: the realistic payloads its tests use. */
export function loadFixtures(adapter) {
  const folder = join(adapter.dir, "__fixtures__");
  return readdirSync(folder)
    .filter((file) => (file.endsWith(".json") || file.endsWith(".xml")) && !file.endsWith(".expected.json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -extname(file).length);
      return {
        name,
        format: extname(file) === ".xml" ? "xml" : "json",
        text: readFileSync(join(folder, file), "utf8"),
        malformed: name.startsWith("malformed-"),
      };
    });
}
