import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Adapter, CONTRACT_VERSION, createEngine, defineAdapter, type Engine } from "@restock/core";
import { resolve as resolveModule } from "import-meta-resolve";
import { FALLBACK_ADAPTER_ID } from "../config/schema.js";

export class AdapterLoadError extends Error {
  override readonly name = "AdapterLoadError";
}

export interface LoadedAdapter {
  /** The package name (or path) it was loaded from. */
  source: string;
  adapter: Adapter;
}

export interface LoadedAdapters {
  engine: Engine;
  loaded: LoadedAdapter[];
}

/**
 * Loads adapter packages by name with dynamic import (an installation carries only the adapters
 * it lists), checks each one's contract version, refuses two adapters with one id, and makes the
 * no-reason adapter the engine's fallback for marketplaces without an adapter of their own.
 */
export async function loadAdapters(specifiers: readonly string[]): Promise<LoadedAdapters> {
  const loaded: LoadedAdapter[] = [];
  const byId = new Map<string, string>();
  for (const source of specifiers) {
    const adapter = checkAdapter(source, findAdapter(source, await importAdapter(source)));
    const other = byId.get(adapter.id);
    if (other !== undefined) throw new AdapterLoadError(`adapter packages "${other}" and "${source}" both have the id "${adapter.id}"`);
    byId.set(adapter.id, source);
    loaded.push({ source, adapter });
  }
  const adapters = loaded.map((entry) => entry.adapter);
  const fallback = adapters.find((adapter) => adapter.id === FALLBACK_ADAPTER_ID);
  return { engine: createEngine({ adapters, ...(fallback ? { fallback } : {}) }), loaded };
}

async function importAdapter(source: string): Promise<Record<string, unknown>> {
  try {
    if (source.startsWith(".") || isAbsolute(source)) return await import(pathToFileURL(resolve(source)).href);
    try {
      return await import(source);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
      // Not one of the worker's dependencies: an adapter installed where the worker runs. Resolved as
      // `import` resolves (the `import` condition of its exports), from the working directory, so
      // an ESM-only package loads, and a dual one loads the same build as from the worker's own deps.
      return await import(resolveModule(source, pathToFileURL(resolve("package.json")).href));
    }
  } catch (error) {
    throw new AdapterLoadError(`cannot load adapter package "${source}": ${(error as Error).message}`);
  }
}

/** The module's default export, or its one named export shaped like an adapter (`amazonAdapter`). */
function findAdapter(source: string, module: Record<string, unknown>): Record<string, unknown> {
  const candidates = [module.default, ...Object.values(module)].filter(isAdapterLike);
  const found = candidates[0];
  if (!found) throw new AdapterLoadError(`adapter package "${source}" exports no adapter (an object with id, contractVersion and parse)`);
  return found;
}

function isAdapterLike(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === "string" && "contractVersion" in record && typeof record.parse === "function";
}

function checkAdapter(source: string, candidate: Record<string, unknown>): Adapter {
  if (candidate.contractVersion !== CONTRACT_VERSION) {
    throw new AdapterLoadError(
      `adapter package "${source}" (adapter "${String(candidate.id)}") implements contract version ${String(candidate.contractVersion)}, ` +
        `this worker's @restock/core implements contract version ${CONTRACT_VERSION}`,
    );
  }
  try {
    // Adapters from outside the repository may not come from this core's defineAdapter: check them the same way.
    return defineAdapter(candidate as unknown as Parameters<typeof defineAdapter>[0]);
  } catch (error) {
    throw new AdapterLoadError(`adapter package "${source}" is invalid: ${(error as Error).message}`);
  }
}
