import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { cliPath, packageDir } from "./repo.js";

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * vitest global setup: the CLI tests run dist/cli.js, what `npm create` runs. Build it when it
 * is missing or older than the sources (turbo builds before testing; a direct `vitest` may not).
 */
export default function setup(): void {
  if (existsSync(cliPath) && statSync(cliPath).mtimeMs >= newestSource(join(packageDir, "src"))) return;
  execFileSync(process.execPath, [join(packageDir, "node_modules/tsup/dist/cli-default.js")], { cwd: packageDir, stdio: "pipe" });
}
