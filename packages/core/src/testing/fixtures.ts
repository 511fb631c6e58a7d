import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Fixture {
  /** File name without extension: the scenario, e.g. `order-change-canceled-buyer-requested`. */
  name: string;
  file: string;
  format: "json" | "xml";
  /** The exact bytes as text: adapters receive the body, as the worker would hand it over. */
  text: string;
  /** `malformed-*` fixtures must be rejected with PayloadError. */
  malformed: boolean;
  /** `<case>.expected.json` beside it, parsed: what `parse` must return for it, exactly. */
  expected?: unknown;
}

const EXPECTED = ".expected.json";

/**
 * Reads `<case>.json` and `<case>.xml` payloads from a fixtures folder (a path or a file URL), each
 * with its `<case>.expected.json` when there is one.
 */
export function loadFixtures(dir: string | URL): Fixture[] {
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir;
  const files = readdirSync(folder);
  return files
    .filter((file) => (file.endsWith(".json") || file.endsWith(".xml")) && !file.endsWith(EXPECTED))
    .sort()
    .map((file) => {
      const format = extname(file) === ".xml" ? "xml" : "json";
      const name = file.slice(0, -extname(file).length);
      const expectedFile = `${name}${EXPECTED}`;
      return {
        name,
        file: join(folder, file),
        format,
        text: readFileSync(join(folder, file), "utf8"),
        malformed: name.startsWith("malformed-"),
        ...(files.includes(expectedFile) ? { expected: JSON.parse(readFileSync(join(folder, expectedFile), "utf8")) as unknown } : {}),
      } satisfies Fixture;
    });
}

/** `.expected.json` files with no payload of their name beside them (a renamed fixture): nothing would compare them. */
export function orphanExpectations(dir: string | URL): string[] {
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir;
  const files = readdirSync(folder);
  return files
    .filter((file) => file.endsWith(EXPECTED))
    .filter((file) => {
      const name = file.slice(0, -EXPECTED.length);
      return !files.includes(`${name}.json`) && !files.includes(`${name}.xml`);
    })
    .sort();
}
