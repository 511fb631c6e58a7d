// Renders benchmark results as Markdown: one table of figures per suite, then the targets.

const cell = (value) =>
  String(value ?? "")
    .replaceAll("|", "\\|")
    .replaceAll("\n", " ");

function table(header, rows) {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

export function renderMarkdown(results) {
  const { machine } = results;
  const out = [
    `## Benchmark results (${results.mode} run)`,
    "",
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `${results.startedAt}, ${results.durationSeconds} s; load average ${machine.loadAverage.join(" / ")} at start, ${machine.loadAverageAtEnd.join(" / ")} at end.`,
    "Every figure is the median of its runs and sits next to a baseline measured in the same run: compare the ratios, not absolute figures from another machine or another run.",
  ];
  const targets = [];
  for (const suite of Object.values(results.suites)) {
    out.push("", `### ${suite.title}`, "");
    if (suite.error) {
      out.push(`Not measured: ${suite.error}.`);
      continue;
    }
    if (suite.skipped) {
      out.push(`Skipped: ${suite.skipped}.`);
      continue;
    }
    out.push(
      table(
        ["Case", "Figure", "Baseline (same run)", "Relative", "Runs"],
        suite.rows.map((row) => [row.case, row.figure, row.baseline, row.relative, row.runs]),
      ),
    );
    for (const note of suite.notes ?? []) out.push("", `- ${note}`);
    targets.push(...(suite.targets ?? []));
  }
  if (targets.length > 0) {
    out.push(
      "",
      "### Targets",
      "",
      table(
        ["Target", "Measured", "Met"],
        targets.map((t) => [t.target, t.measured, t.met ? "yes" : "**no**"]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}
