import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server URL whose user may CREATE DATABASE: each test makes a database of its own. */
    postgresUrl: string;
  }
}

interface ClusterScript {
  startCluster(): string;
}

const script = fileURLToPath(new URL("../../../../scripts/pg-test-cluster.mjs", import.meta.url));

/**
 * The PostgreSQL tests' server: RESTOCK_TEST_DATABASE_URL when set, else the repository's
 * throwaway cluster on 127.0.0.1:54329 (started here when it is not running; it is left running
 * for the next run, `node scripts/pg-test-cluster.mjs stop` stops it). Never skips: without a
 * server the run fails and says how to get one.
 */
export default async function setup(project: TestProject): Promise<void> {
  const given = process.env.RESTOCK_TEST_DATABASE_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return;
  }
  try {
    if (!existsSync(script)) throw new Error(`${script} is missing`);
    const cluster = (await import(pathToFileURL(script).href)) as ClusterScript;
    project.provide("postgresUrl", cluster.startCluster());
  } catch (error) {
    throw new Error(
      `The PostgreSQL tests need a PostgreSQL server and none could be started: ${(error as Error).message}\n` +
        "Start one with `node scripts/pg-test-cluster.mjs start` at the repository root (needs Debian's postgresql package: " +
        "apt-get install -y postgresql), or set RESTOCK_TEST_DATABASE_URL to a server whose user may CREATE DATABASE.",
    );
  }
}
