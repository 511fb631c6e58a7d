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
}

/** Reads `<case>.json` and `<case>.xml` payloads from a fixtures folder (a path or a file URL). */
export function loadFixtures(dir: string | URL): Fixture[] {
  const folder = dir instanceof URL ? fileURLToPath(dir) : dir;
  return readdirSync(folder)
    .filter((file) => (file.endsWith(".json") || file.endsWith(".xml")) && !file.endsWith(".expected.json"))
    .sort()
    .map((file) => {
      const format = extname(file) === ".xml" ? "xml" : "json";
      const name = file.slice(0, -extname(file).length);
      return {
        name,
        file: join(folder, file),
        format,
        text: readFileSync(join(folder, file), "utf8"),
        malformed: name.startsWith("malformed-"),
      } satisfies Fixture;
    });
}
