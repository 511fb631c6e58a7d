import { readFileSync } from "node:fs";

/** A fixture's body as the worker hands it to the adapter: the raw text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), "utf8");
}
