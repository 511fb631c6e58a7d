import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

/** The CLI tests run the real dist/cli.js: build it when it is missing or older than the sources. */
export default function setup(): void {
  let built = 0;
  try {
    built = statSync(join(root, "dist", "cli.js")).mtimeMs;
  } catch {}
  if (built < newest(join(root, "src"))) execFileSync("pnpm", ["exec", "tsup", "--silent"], { cwd: root, stdio: "inherit" });
}
