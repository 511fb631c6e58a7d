// Installs the Debian packages the test suite drives (PostgreSQL server, Chromium) when they are
// missing, so `pnpm test` works on a fresh machine with only Node and npm. Needs root for apt-get;
// without it, says what to install and stops.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const wanted = [
  // [Debian package, a file it provides]
  ["postgresql", "/usr/lib/postgresql"],
  ["chromium", "/usr/bin/chromium"],
];
const needed = (process.env.RESTOCK_SYSTEM_DEPS ?? "postgresql,chromium").split(",").filter(Boolean);
const missing = wanted.filter(([name, path]) => needed.includes(name) && !existsSync(path)).map(([name]) => name);

if (missing.length === 0) process.exit(0);
if (process.getuid?.() !== 0) {
  console.error(`Missing system packages: ${missing.join(", ")}. Install them with: sudo apt-get install -y ${missing.join(" ")}`);
  process.exit(1);
}
console.log(`Installing ${missing.join(", ")} from Debian's packages...`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
process.exit(result.status ?? 1);
