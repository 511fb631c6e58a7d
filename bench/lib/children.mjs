// Child processes of the benchmarks: servers under load, and CLI runs whose peak memory is read.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";

/** Starts a server process and resolves with its address once it prints `listening on <url>`. */
export async function startServer(args, { env = {}, timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server ${args.join(" ")} did not start in ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server ${args.join(" ")} exited with ${code}:\n${stderr}`));
    });
  });
  lines.removeAllListeners("line");
  child.stdout.resume();
  return {
    address,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const exited = once(child, "exit");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The kernel's peak resident set size of a live process (VmHWM), in bytes. */
export function peakRss(pid) {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return Number.NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(file, "utf8"));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/**
 * Runs a command to its end and returns its exit code, output, wall time and peak RSS: the
 * child's VmHWM read from /proc every 50 ms and, when /usr/bin/time is present, its own report
 * (which also sees the last moments), whichever is larger.
 */
export async function runMeasured(args, { env = {} } = {}) {
  const useTime = existsSync("/usr/bin/time");
  const command = useTime ? "/usr/bin/time" : process.execPath;
  const argv = useTime ? ["-f", "__peak_kb=%M", process.execPath, ...args] : args;
  const started = performance.now();
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  let polled = 0;
  const poll = setInterval(() => {
    // Under /usr/bin/time the node process is time's only child.
    const pid = useTime ? childPid(child.pid) : child.pid;
    if (pid) polled = Math.max(polled, peakRss(pid) || 0);
  }, 50);
  const [code] = await once(child, "exit");
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const reported = /__peak_kb=(\d+)/.exec(stderr);
  const peak = Math.max(polled, reported ? Number(reported[1]) * 1024 : 0);
  return { code, stdout, stderr: stderr.replace(/__peak_kb=\d+\n?/, ""), seconds, peakRssBytes: peak || Number.NaN };
}

function childPid(pid) {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return undefined;
  const first = readFileSync(file, "utf8").trim().split(/\s+/)[0];
  return first ? Number(first) : undefined;
}
