import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "../ops/logger.js";
import { threadExecArgv } from "../ops/thread-exec-argv.js";
import type { BatchSummary } from "./batch-summary.js";
import type { Processor } from "./processor.js";
import type { FromProcessingThread, ProcessingThreadData, ToProcessingThread } from "./thread-messages.js";

export interface ThreadedProcessorDeps {
  data: ProcessingThreadData;
  /** Runs `runBatch` and `drain`, and the loop itself when the thread cannot run. */
  inProcess: Processor;
  onBatch: (summary: BatchSummary) => void;
  logger: Logger;
}

// Next to the bundle that imports this (dist/); from TypeScript sources (tests) it does not exist.
const THREAD_ENTRY = new URL("./processing-thread.js", import.meta.url);

/**
 * The processing loop on a worker thread of its own (SQLite), so that deciding does not take turns
 * with answering webhooks on one event loop: flat out, `restock serve` answered ~26% more deliveries
 * with it (medians of 6 ABBA pairs, bench/HISTORY.md). The main connection's writes do not block
 * while the thread holds the write lock (writeWithoutBlocking in the SQLite store). `runBatch` and
 * `drain` still run on the calling thread.
 */
export function createThreadedProcessor({ data, inProcess, onBatch, logger }: ThreadedProcessorDeps): Processor {
  let thread: Worker | undefined;
  let exited: Promise<void> | undefined;
  let stopping = false;

  function fallBack(reason: string, error?: unknown): void {
    thread = undefined;
    if (stopping) return;
    logger.error({ err: error }, `processing thread ${reason}; processing on the main thread`);
    inProcess.start();
  }

  function start(): void {
    if (thread || stopping) return;
    if (!existsSync(fileURLToPath(THREAD_ENTRY))) {
      logger.warn({ entry: THREAD_ENTRY.href }, "no built processing thread; processing on the main thread");
      inProcess.start();
      return;
    }
    const started = new Worker(THREAD_ENTRY, { workerData: data, name: "restock-processing", execArgv: threadExecArgv() });
    thread = started;
    started.on("message", (message: FromProcessingThread) => {
      if (message.type === "batch") onBatch(message.summary);
      else if (message.type === "ready") logger.info({ threadId: started.threadId }, "processing on a worker thread");
    });
    started.on("error", (error) => fallBack("failed", error));
    exited = new Promise((resolve) => {
      started.once("exit", (code) => {
        if (thread === started) fallBack(`exited with code ${code}`);
        resolve();
      });
    });
  }

  function send(message: ToProcessingThread): void {
    thread?.postMessage(message);
  }

  return {
    start,
    wake() {
      if (thread) send({ type: "wake" });
      else inProcess.wake();
    },
    async stop() {
      stopping = true;
      if (thread) {
        // The thread finishes its batch in flight, closes its connection and exits (the exit
        // handler forgets it).
        send({ type: "stop" });
        await exited;
      }
      await inProcess.stop();
    },
    runBatch: () => inProcess.runBatch(),
    drain: () => inProcess.drain(),
  };
}
