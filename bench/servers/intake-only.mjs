// The worker's HTTP intake without its processor: `createWorker` as `restock serve` builds it,
// listening, but with the processing loop not started, so the figure is intake alone.
//   node bench/servers/intake-only.mjs <db path>  → prints "listening on <address>"
// The database must hold the benchmark integration already (the suite creates it).
import { importWorker } from "../lib/workspace.mjs";

const { createWorker, loadConfig } = await importWorker();
const config = loadConfig({ env: {}, flags: { dbPath: process.argv[2], port: 0, logLevel: "warn", accessLog: false } });
const worker = await createWorker(config);
const address = await worker.http.listen({ host: "127.0.0.1", port: 0 });
process.stdout.write(`listening on ${address}\n`);
process.once("SIGTERM", () => worker.stop().then(() => process.exit(0)));
