import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { bin } from "./repo.js";

const execFileAsync = promisify(execFile);

export interface RunResult {
  code: number;
  output: string;
}

// A child vitest must not think it is a worker of the vitest running this file.
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "TEST" || key === "NODE_OPTIONS") delete env[key];
  return env;
}

/** Runs a node script and collects its exit code and combined output, without throwing on failure. */
export async function runNode(script: string, args: readonly string[], cwd: string): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [script, ...args], { cwd, env: childEnv(), maxBuffer: 32 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

export interface AssertionResult {
  title: string;
  fullName: string;
  status: "passed" | "failed" | "skipped" | "pending" | "todo";
  failureMessages: string[];
}

export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; assertionResults: AssertionResult[] }[];
}

/** `vitest run` in a generated package, as its `npm test` would, with the JSON report read back. */
export async function runVitest(dir: string): Promise<{ code: number; output: string; report: VitestReport; tests: AssertionResult[] }> {
  const reportFile = join(dir, "vitest-report.json");
  const { code, output } = await runNode(bin.vitest, ["run", "--reporter=json", `--outputFile=${reportFile}`], dir);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as VitestReport;
  return { code, output, report, tests: report.testResults.flatMap((file) => file.assertionResults) };
}

/** `tsc -p tsconfig.json` in a generated package, as its `typecheck` script would. */
export function runTsc(dir: string): Promise<RunResult> {
  return runNode(bin.tsc, ["-p", "tsconfig.json"], dir);
}
