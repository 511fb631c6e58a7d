// One worker process of the PostgreSQL processing benchmark: the worker as `restock serve` composes
// it on DATABASE_URL (no HTTP), which drains the shared inbox when the parent says go.
//   forked with IPC by bench/suites/processing-postgres.mjs; argv: <database url> <batch size>
import { importWorker } from "../lib/workspace.mjs";

const [url, batchSize] = process.argv.slice(2);
const { createWorker, loadConfig } = await importWorker();
const config = loadConfig({ env: {}, flags: { databaseUrl: url, logLevel: "warn", "processing.batchSize": Number(batchSize) } });
const worker = await createWorker(config);
process.on("message", async (message) => {
  if (message !== "go") return;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let batches = 0;
  while ((await worker.processor.runBatch()).claimed > 0) batches += 1;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await worker.stop();
  process.send({ seconds, batches, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
});
process.send("ready");
