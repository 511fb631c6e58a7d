import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { coreRange } from "./core-range.js";
import { defaultDisplayName } from "./names.js";
import { scaffoldAdapter } from "./scaffold.js";

const usage = `Usage: create-restock-adapter <id> [--name "Display Name"] [--package @scope/name] [--dir path] [--workspace]

  <id>         adapter id and marketplace name (lower-case words joined by dashes), e.g. acme-etsy
  --name       display name (default: the id in title case)
  --package    npm package name (default: restock-adapter-<id>; @restock/adapter-<id> with --workspace)
  --dir        where to create it (default: ./<package name without scope>; packages/adapter-<id> with --workspace)
  --workspace  inside the restock monorepo: workspace and catalog versions, changeset in the root .changeset

Outside teams: npm create restock-adapter <id> -- --package @acme/restock-adapter-<id>`;

const EXIT_USAGE = 64;

function main(argv: string[]): number {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const [id, ...extra] = positionals;
  if (!id || extra.length > 0) {
    console.error(usage);
    return EXIT_USAGE;
  }
  const { workspace } = values;
  const root = workspace ? findWorkspaceRoot(process.cwd()) : undefined;
  if (workspace && !root) {
    console.error("create-restock-adapter: --workspace must run inside the restock monorepo (no pnpm-workspace.yaml found above here)");
    return 1;
  }
  const packageName = values.package ?? (workspace ? `@restock/adapter-${id}` : `restock-adapter-${id}`);
  const dir = resolve(values.dir ?? (root ? join(root, "packages", `adapter-${id}`) : packageName.replace(/^@[^/]+\//, "")));
  // A workspace package is found by the workspace's packages/* glob, and its tsconfig extends the
  // root's from two levels up: anywhere else it would be outside the workspace, and its changeset
  // would name a package the release cannot find (changeset status fails for the whole repo).
  if (root && resolve(dir, "..") !== join(root, "packages")) {
    console.error(`create-restock-adapter: with --workspace, --dir must be a folder directly under ${join(root, "packages")}`);
    return EXIT_USAGE;
  }
  try {
    const result = scaffoldAdapter(
      dir,
      { id, displayName: values.name ?? defaultDisplayName(id), packageName, workspace, coreRange: coreRange() },
      root ? join(root, ".changeset") : undefined,
    );
    const where = relative(process.cwd(), result.dir) || ".";
    console.log(`Created ${packageName} in ${where} (${result.files.length} files).`);
    console.log("Next: fill in src/reasons.ts and src/payload-schema.ts, put recorded payloads in __fixtures__/, then run the tests:");
    console.log(workspace ? `  pnpm install && pnpm -F ${packageName} test` : `  cd ${where} && npm install && npm test`);
    return 0;
  } catch (error) {
    console.error(`create-restock-adapter: ${(error as Error).message}`);
    return 1;
  }
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      package: { type: "string" },
      dir: { type: "string" },
      workspace: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

function findWorkspaceRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = resolve(dir, "..");
    if (parent === dir) return undefined;
    dir = parent;
  }
}

process.exitCode = main(process.argv.slice(2));
