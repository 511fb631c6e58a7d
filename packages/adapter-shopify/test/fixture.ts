import { readFileSync } from "node:fs";

/** A recorded payload's body text, exactly as the worker would hand it to the adapter. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), "utf8");
}
