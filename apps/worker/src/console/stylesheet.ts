import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The console's one stylesheet. From the sources it sits in ./assets/; tsup copies that folder
 * (its `publicDir`) next to the bundle, so from dist/ it is ./console.css.
 */
export function readStylesheet(): string {
  const candidates = [new URL("./assets/console.css", import.meta.url), new URL("./console.css", import.meta.url)];
  const found = candidates.map((url) => fileURLToPath(url)).find((path) => existsSync(path));
  if (!found) throw new Error(`the console stylesheet is missing (looked for ${candidates.map((url) => url.pathname).join(", ")})`);
  return readFileSync(found, "utf8");
}
