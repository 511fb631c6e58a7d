import type { BatchSummary } from "./batch-summary.js";
import type { ProcessorOptions } from "./processor.js";

/** What the processing thread starts from: plain data, since a thread shares no objects with its host. */
export interface ProcessingThreadData {
  dbPath: string;
  adapters: readonly string[];
  logLevel: string;
  options: ProcessorOptions;
}

export type ToProcessingThread = { type: "wake" } | { type: "stop" };
export type FromProcessingThread = { type: "ready" } | { type: "batch"; summary: BatchSummary };
