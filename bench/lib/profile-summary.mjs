// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time and
// the most inclusive time, weighted by the time each sample stands for, so a profile can be read without DevTools.
//
//   node bench/lib/profile-summary.mjs <file.cpuprofile> [rows]
import { readFileSync } from "node:fs";

export function summarizeProfile(profile, rows = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // A sample stands for the time until the next one: when the thread blocks (fsync in a
  // synchronous SQLite commit), samples are sparse and each one weighs more.
  const selfTicks = new Map();
  const { samples, timeDeltas } = profile;
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const weight = (timeDeltas[i + 1] ?? 0) / 1000;
    selfTicks.set(samples[i], (selfTicks.get(samples[i]) ?? 0) + weight);
    total += weight;
  }
  const label = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? url.replace(/^file:\/\//, "").replace(/^.*\/(node_modules|packages|apps)\//, "$1/") : "";
    return `${functionName || "(anonymous)"} ${file}${file ? `:${lineNumber + 1}` : ""}`;
  };
  const self = new Map();
  const inclusive = new Map();
  for (const [id, ticks] of selfTicks) {
    const node = byId.get(id);
    const name = label(node);
    self.set(name, (self.get(name) ?? 0) + ticks);
    // Count each function once per sample on the stack, however deep the recursion.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = label(byId.get(at));
      if (seen.has(frame)) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + ticks);
    }
  }
  const top = (map) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, ticks]) => `${((ticks / total) * 100).toFixed(1).padStart(5)}% ${String(Math.round(ticks)).padStart(7)} ms  ${name}`);
  return { total, self: top(self), inclusive: top(inclusive) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, rows] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node bench/lib/profile-summary.mjs <file.cpuprofile> [rows]");
    process.exit(64);
  }
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")), Number(rows ?? 25));
  console.log(
    `${Math.round(summary.total)} ms sampled\n\nself time:\n${summary.self.join("\n")}\n\ninclusive time:\n${summary.inclusive.join("\n")}`,
  );
}
