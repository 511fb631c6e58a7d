// `pnpm bench` (after `turbo run build`): runs every benchmark suite, each in its own process,
// prints the results as a Markdown table and writes bench/results/latest.json and latest.md.
// Benchmarks are not tests: a missed target is reported, never a non-zero exit.
//
//   node bench/run.mjs [--quick] [--only engine,intake,...] [--out bench/results]
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { machineInfo } from "./lib/machine.mjs";
import { renderMarkdown } from "./lib/report.mjs";
import { ROOT } from "./lib/workspace.mjs";

export const SUITES = ["calibration", "engine", "intake", "processing-sqlite", "processing-postgres", "replay"];

const { values } = parseArgs({
  // `pnpm bench -- --quick` passes the `--` on; read it as the separator it was meant to be.
  args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--")),
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string" },
  },
});
const selected = values.only ? values.only.split(",").map((name) => name.trim()) : SUITES;
const unknown = selected.filter((name) => !SUITES.includes(name));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(", ")}; known: ${SUITES.join(", ")}`);
  process.exit(64);
}
// Quick runs are for iterating: they never overwrite the committed figures unless told where to write.
const outDir = values.out ?? (values.quick ? join(ROOT, "bench/results/quick") : join(ROOT, "bench/results"));

async function runSuite(name, scratch) {
  const out = join(scratch, `${name}.json`);
  const args = [join(ROOT, "bench/suites", `${name}.mjs`), "--out", out, ...(values.quick ? ["--quick"] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"] });
  const [code] = await once(child, "exit");
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  if (code !== 0) return { title: name, error: `exited with ${code}`, rows: [], targets: [], notes: [], seconds };
  return { ...JSON.parse(readFileSync(out, "utf8")), seconds };
}

const startedAt = new Date();
const machine = machineInfo();
console.error(
  `restock benchmarks (${values.quick ? "quick" : "full"}) on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}`,
);
const scratch = mkdtempSync(join(tmpdir(), "restock-bench-"));
const suites = {};
try {
  for (const name of selected) {
    console.error(`\n▶ ${name}`);
    suites[name] = await runSuite(name, scratch);
    console.error(`  (${suites[name].seconds} s)`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const results = {
  mode: values.quick ? "quick" : "full",
  startedAt: startedAt.toISOString(),
  durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
  machine: { ...machine, loadAverageAtEnd: machineInfo().loadAverage },
  suites,
};
const markdown = renderMarkdown(results);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, "latest.md"), markdown);
process.stdout.write(`\n${markdown}`);
console.error(`\nwritten to ${join(outDir, "latest.json")} and latest.md`);
