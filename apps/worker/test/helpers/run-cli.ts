import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

/** Output of a command that prints one JSON value per line, parsed. */
export function jsonLines(text: string) {
  return text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the real CLI (dist/cli.js) and keeps everything it prints. */
export function spawnCli(args: string[], options: { env?: Record<string, string>; cwd?: string; stdin: "pipe" | "ignore" }) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin, "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout!.on("data", (chunk) => {
    output.stdout += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    output.stderr += chunk;
  });
  return { child, output };
}

/** Runs the real CLI (dist/cli.js) to completion. */
export function runCli(
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const { child, output } = spawnCli(args, { ...options, stdin: "pipe" });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...output }));
    child.stdin!.end(options.input ?? "");
  });
}

export interface ServeRun {
  /** Where it listens (http://host:port). */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Everything it has printed on stdout so far. */
  stdout(): string;
}

/**
 * Starts the real `restock serve` (dist/cli.js) and resolves once it listens and its stdout holds
 * every string of `until` (log lines that say it is ready for the test); rejects with its stderr
 * when it exits or takes longer than `timeoutMs`.
 */
export function startServe(
  args: string[],
  options: { env?: Record<string, string>; until?: string[]; timeoutMs?: number } = {},
): Promise<ServeRun> {
  const { child, output } = spawnCli(["serve", ...args], { env: options.env, stdin: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`restock serve was not ready in ${options.timeoutMs ?? 15_000} ms:\n${output.stdout}\n${output.stderr}`));
    }, options.timeoutMs ?? 15_000);
    // spawnCli's listener, added first, has already appended the chunk.
    child.stdout!.on("data", () => {
      const url = /listening on (http:\/\/[^\s]+)/.exec(output.stdout)?.[1];
      if (url && (options.until ?? []).every((text) => output.stdout.includes(text))) {
        clearTimeout(timer);
        resolve({ url, child, exited, stdout: () => output.stdout });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`restock serve exited with ${code}:\n${output.stderr}`));
    });
  });
}
