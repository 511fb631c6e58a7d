import { configFiles } from "./config-files.js";
import { fixtureFiles } from "./fixtures.js";
import type { ScaffoldOptions } from "./options.js";
import { packageJson } from "./package-json.js";
import { readme } from "./readme.js";
import { sourceFiles } from "./source-files.js";

export { initialChangeset } from "./config-files.js";
export type { ScaffoldOptions } from "./options.js";

/** Everything a new adapter package holds, as path (relative to the package) → contents. */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  return {
    "package.json": packageJson(options),
    ...configFiles(options),
    ...sourceFiles(options),
    ...fixtureFiles(options.id),
    "README.md": readme(options),
  };
}
