// Runs one suite as its own process (`node bench/suites/<name>.mjs [--quick] [--out file]`), so
// that every suite starts with a fresh heap and JIT and one suite's leftovers never slow another.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

export async function suiteMain(moduleUrl, run) {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, out: { type: "string" } } });
  const log = (message) => process.stderr.write(`  ${message}\n`);
  const result = await run({ quick: values.quick, log });
  const text = JSON.stringify(result, null, 2);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(`${text}\n`);
}
