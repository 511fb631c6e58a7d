import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { scaffoldAdapter } from "./scaffold.js";

const usage = `Usage: create-restock-adapter <id> [--name "Display Name"] [--package @scope/name] [--dir path] [--workspace]

  <id>         adapter id and marketplace name (lower-case, digits, dashes), e.g. etsy
  --name       display name (default: the id, capitalised)
  --package    npm package name (default: restock-adapter-<id>; @restock/adapter-<id> with --workspace)
  --dir        where to create it (default: ./<package folder>)
  --workspace  inside the restock monorepo: packages/adapter-<id>, workspace and catalog versions`;

function main(argv: string[]): number {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
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
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 64;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const id = positionals[0];
  if (!id || positionals.length > 1) {
    console.error(usage);
    return 64;
  }
  const workspace = values.workspace === true;
  const displayName = (values.name as string | undefined) ?? id.charAt(0).toUpperCase() + id.slice(1);
  const packageName = (values.package as string | undefined) ?? (workspace ? `@restock/adapter-${id}` : `restock-adapter-${id}`);
  const root = workspace ? findWorkspaceRoot(process.cwd()) : undefined;
  const dir = resolve(
    (values.dir as string | undefined) ?? (root ? join(root, "packages", `adapter-${id}`) : packageName.replace(/^@[^/]+\//, "")),
  );
  try {
    const result = scaffoldAdapter(
      dir,
      { id, displayName, packageName, workspace, coreRange: "^0.1.0" },
      root ? join(root, ".changeset") : undefined,
    );
    console.log(`Created ${packageName} in ${result.dir} (${result.files.length} files).`);
    console.log("Next: fill in src/reasons.ts and src/payload-schema.ts, add recorded payloads to __fixtures__/, then run the tests.");
    return 0;
  } catch (error) {
    console.error(`create-restock-adapter: ${(error as Error).message}`);
    return 1;
  }
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
