// 1. Engine: `evaluate` throughput per adapter over its fixtures, one core, against JSON.parse of
// the same bytes (XML fixtures: fast-xml-parser's parse, the library the XML adapters use).

import { formatCount, formatNumber, median, paired, throughput } from "../lib/stats.mjs";
import { suiteMain } from "../lib/suite-main.mjs";
import { ADAPTERS, importAdapter, importCore, loadFixtures, requireFrom } from "../lib/workspace.mjs";

export const TARGET_SHOPIFY_PER_SECOND = 100_000;
export const TARGET_JSON_PARSE_MULTIPLE = 2;

/** Payload sets measured: every valid fixture per adapter and format, plus Shopify's orders/cancelled bodies. */
function payloadSets(adapter, fixtures) {
  const valid = fixtures.filter((fixture) => !fixture.malformed);
  const sets = [];
  for (const format of ["json", "xml"]) {
    const texts = valid.filter((fixture) => fixture.format === format).map((fixture) => fixture.text);
    if (texts.length > 0) sets.push({ name: `${adapter.id} (${texts.length} ${format} fixtures)`, format, texts });
  }
  if (adapter.id === "shopify") {
    const orders = valid.filter((fixture) => fixture.name.startsWith("orders-cancelled-"));
    sets.push({
      name: `shopify orders/cancelled (${orders.length} fixtures)`,
      format: "json",
      texts: orders.map((f) => f.text),
      target: true,
    });
    const typical = orders.filter((fixture) => !fixture.name.includes("big-integer"));
    sets.push({
      name: `shopify orders/cancelled, ids below 2^53 (${typical.length} fixtures)`,
      format: "json",
      texts: typical.map((f) => f.text),
      target: true,
    });
  }
  return sets;
}

export async function run({ quick, log }) {
  const core = await importCore();
  const adapters = [];
  for (const entry of ADAPTERS) adapters.push({ entry, adapter: await importAdapter(entry) });
  const engine = core.createEngine({
    adapters: adapters.map((a) => a.adapter),
    fallback: adapters.find((a) => a.adapter.id === "no-reason")?.adapter,
  });
  const { XMLParser } = requireFrom(ADAPTERS.find((a) => a.id === "amazon").dir, "fast-xml-parser");
  const xml = new XMLParser();
  const runMs = quick ? 80 : 200;
  const rounds = quick ? 5 : 15;

  const rows = [];
  const targets = [];
  for (const { entry, adapter } of adapters) {
    for (const set of payloadSets(adapter, loadFixtures(entry))) {
      const { texts } = set;
      const count = texts.length;
      // Each call takes the next payload, so every fixture of the set weighs the same.
      let next = 0;
      const evaluate = () => engine.evaluate({ marketplace: adapter.id, mode: "smart", payload: texts[next++ % count] });
      const parseOnly = set.format === "json" ? () => JSON.parse(texts[next++ % count]) : () => xml.parse(texts[next++ % count]);
      // A fixture that does not evaluate would be measured as an exception path: fail loudly instead.
      for (let i = 0; i < count; i++) evaluate();
      const { subjects, baselines } = await paired({
        rounds,
        subject: () => throughput(evaluate, runMs),
        baseline: () => throughput(parseOnly, runMs),
      });
      const perSecond = median(subjects);
      const baseline = median(baselines);
      const multiple = median(subjects.map((value, i) => baselines[i] / value));
      const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / count;
      const baselineName = set.format === "json" ? "JSON.parse" : "fast-xml-parser parse";
      log(`${set.name}: ${formatCount(perSecond)}/s, ${formatNumber(multiple)}× ${baselineName}`);
      rows.push({
        case: set.name,
        figure: `${formatCount(perSecond)} payloads/s (avg ${formatCount(bytes)} B)`,
        value: perSecond,
        unit: "payloads/s",
        baseline: `${baselineName}: ${formatCount(baseline)}/s`,
        baselineValue: baseline,
        relative: `${formatNumber(multiple)}× the cost of ${baselineName}`,
        ratio: multiple,
        runs: rounds,
      });
      if (set.target) {
        targets.push({
          target: `engine: ${set.name} ≥ ${formatCount(TARGET_SHOPIFY_PER_SECOND)}/s per core`,
          measured: `${formatCount(perSecond)}/s`,
          met: perSecond >= TARGET_SHOPIFY_PER_SECOND,
        });
        targets.push({
          target: `engine: ${set.name} ≤ ${TARGET_JSON_PARSE_MULTIPLE}× JSON.parse`,
          measured: `${formatNumber(multiple)}×`,
          met: multiple <= TARGET_JSON_PARSE_MULTIPLE,
        });
      }
    }
  }
  return {
    title: "Engine: evaluate per adapter (one core)",
    rows,
    targets,
    notes: [
      `mode smart, every valid fixture in turn; ${rounds} interleaved rounds of ${runMs} ms each, medians; the multiple is the median of per-round ratios.`,
    ],
  };
}

await suiteMain(import.meta.url, run);
