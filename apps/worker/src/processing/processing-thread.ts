// The processing thread's entry (built to dist/processing-thread.js): its own SQLite connection,
// its own adapters, the same processor as in-process processing. It posts a summary of every
// batch to the main thread, which owns the metrics, the log of failed events and the sink.
import { parentPort, workerData } from "node:worker_threads";
import { loadAdapters } from "../adapters/load-adapters.js";
import { createLogger } from "../ops/logger.js";
import { openSqliteStore } from "../store/sqlite/open-sqlite-store.js";
import { createProcessor } from "./processor.js";
import type { FromProcessingThread, ProcessingThreadData, ToProcessingThread } from "./thread-messages.js";

const port = parentPort;
if (!port) throw new Error("processing-thread.js runs as a worker thread of restock serve");
const data = workerData as ProcessingThreadData;
const post = (message: FromProcessingThread) => port.postMessage(message);

const { engine } = await loadAdapters(data.adapters);
const store = openSqliteStore({ path: data.dbPath });
const processor = createProcessor({
  store,
  engine,
  logger: createLogger(data.logLevel).child({ component: "processor", thread: "processing" }),
  options: data.options,
  onBatch: (summary) => post({ type: "batch", summary }),
});

port.on("message", (message: ToProcessingThread) => {
  if (message.type === "wake") processor.wake();
  else if (message.type === "stop") {
    // Closing the port ends the thread; the host waits for its exit.
    void processor
      .stop()
      .then(() => store.close())
      .finally(() => port.close());
  }
});
processor.start();
post({ type: "ready" });
