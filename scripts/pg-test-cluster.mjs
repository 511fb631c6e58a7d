// A throwaway PostgreSQL cluster on a loopback port, from Debian's `postgresql` package, for tests
// and benchmarks: no system service, no network beyond 127.0.0.1. PostgreSQL refuses to run as
// root, so under root the cluster runs as the `postgres` user the package creates.
//
//   node scripts/pg-test-cluster.mjs start   → prints DATABASE_URL, leaves it running
//   node scripts/pg-test-cluster.mjs stop
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const DEFAULT_PORT = Number(process.env.RESTOCK_PG_PORT ?? 54329);

export function findPgBin() {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(base, version, "bin");
    if (existsSync(join(bin, "initdb"))) return bin;
  }
  return undefined;
}

const asRoot = process.getuid?.() === 0;

function run(bin, args, options = {}) {
  const command = asRoot ? "runuser" : bin;
  const argv = asRoot ? ["-u", "postgres", "--", bin, ...args] : args;
  return execFileSync(command, argv, { stdio: "pipe", encoding: "utf8", ...options });
}

export function clusterDir(port = DEFAULT_PORT) {
  return join(tmpdir(), `restock-pg-${port}`);
}

/** Starts (or reuses) the cluster and returns its connection URL. */
export function startCluster(port = DEFAULT_PORT) {
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      "PostgreSQL is not installed. Install Debian's package (apt-get install -y postgresql) or run `pnpm test`, which installs it, then retry.",
    );
  }
  const dir = clusterDir(port);
  const data = join(dir, "data");
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (existsSync(join(data, "postmaster.pid"))) {
    const status = spawnSync(
      asRoot ? "runuser" : join(bin, "pg_ctl"),
      asRoot ? ["-u", "postgres", "--", join(bin, "pg_ctl"), "status", "-D", data] : ["status", "-D", data],
    );
    if (status.status === 0) return url;
  }
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  if (!existsSync(join(data, "PG_VERSION"))) {
    run(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  }
  const socketDir = join(dir, "sock");
  mkdirSync(socketDir, { recursive: true });
  chmodSync(socketDir, 0o777);
  const opts = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${socketDir} -c max_connections=200 -c shared_buffers=256MB`;
  run(join(bin, "pg_ctl"), ["start", "-w", "-t", "60", "-D", data, "-l", join(dir, "server.log"), "-o", opts]);
  return url;
}

export function stopCluster(port = DEFAULT_PORT) {
  const bin = findPgBin();
  const data = join(clusterDir(port), "data");
  if (!bin || !existsSync(join(data, "postmaster.pid"))) return;
  run(join(bin, "pg_ctl"), ["stop", "-m", "fast", "-w", "-D", data]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const command = process.argv[2] ?? "start";
  if (command === "start") {
    const url = startCluster();
    writeFileSync(join(clusterDir(), "url"), url);
    console.log(url);
  } else if (command === "stop") {
    stopCluster();
  } else {
    console.error("usage: node scripts/pg-test-cluster.mjs start|stop");
    process.exit(64);
  }
}
