import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "../ops/logger.js";
import { threadExecArgv } from "../ops/thread-exec-argv.js";
import type { Store } from "../store/store.js";
import type { IntakeReceipt, IntakeWrite } from "../store/types.js";
import type { FromIntakeWriter, IntakeWriterData, ThreadError, ToIntakeWriter } from "./intake-writer-messages.js";

/** Where the group commit's writes go: the store itself, or a thread with a connection of its own. */
export interface IntakeWriter {
  /** Starts the thread (once); until then, and when it cannot start, writes go through the store on this thread. */
  start(): void;
  appendIntake(write: IntakeWrite): Promise<IntakeReceipt>;
  /** Ends the thread once its write in flight is answered (nothing is queued: the group commit was flushed). */
  close(): Promise<void>;
}

// Next to the bundle that imports this (dist/); from TypeScript sources (tests) it does not exist.
const THREAD_ENTRY = new URL("./intake-writer-thread.js", import.meta.url);

interface Pending {
  write: IntakeWrite;
  resolve(receipt: IntakeReceipt): void;
  reject(error: unknown): void;
}

/**
 * The group commit's SQLite transaction on a worker thread of its own (SQLite), so that inserting a
 * group's rows and waiting for its fsync (synchronous=FULL) no longer stop the event loop that
 * reads, verifies and answers webhooks: about a fifth of that loop's time flat out (CPU profile,
 * README "Benchmarks"). A delivery is still acknowledged only after its transaction is on disk.
 * Should the thread fail, the writes it had not answered are written again through the store on
 * this thread (a write the thread did commit is then stored twice, which processing applies once),
 * and so is every later write. The thread holds the process open only while a write is in flight,
 * so a host that never stops its worker still exits.
 */
export function createThreadedIntakeWriter(
  data: IntakeWriterData,
  store: Store,
  logger: Logger,
  /** The thread's script; tests pass threads that fail on purpose. */
  entry: URL = THREAD_ENTRY,
): IntakeWriter {
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let closing = false;
  let thread: Worker | undefined;
  let exited: Promise<void> | undefined;

  function start(): void {
    if (thread || exited || closing) return;
    if (!existsSync(fileURLToPath(entry))) {
      logger.warn({ entry: entry.href }, "no built intake writer thread; committing deliveries on the main thread");
      exited = Promise.resolve();
      return;
    }
    const started = new Worker(entry, { workerData: data, name: "restock-intake-writer", execArgv: threadExecArgv() });
    started.unref();
    thread = started;
    exited = new Promise<void>((resolve) => {
      started.once("exit", (code) => {
        if (thread === started) fallBack(`exited with code ${code}`);
        resolve();
      });
    });
    started.on("message", (message: FromIntakeWriter) => {
      if (message.type === "ready") {
        logger.info({ threadId: started.threadId }, "committing deliveries on a worker thread");
        return;
      }
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (pending.size === 0) started.unref();
      if (message.type === "appended") waiter.resolve(message.receipt);
      else waiter.reject(asError(message.error));
    });
    started.on("error", (error) => fallBack("failed", error));
  }

  function fallBack(reason: string, error?: unknown): void {
    thread = undefined;
    if (!closing) logger.error({ err: error }, `intake writer thread ${reason}; committing deliveries on the main thread`);
    for (const [id, waiter] of pending) {
      pending.delete(id);
      store.appendIntake(waiter.write).then(waiter.resolve, waiter.reject);
    }
  }

  return {
    start,
    appendIntake(write) {
      if (!thread) return store.appendIntake(write);
      const id = nextId++;
      const worker = thread;
      return new Promise<IntakeReceipt>((resolve, reject) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, { write, resolve, reject });
        worker.postMessage({ type: "append", id, write } satisfies ToIntakeWriter);
      });
    },
    async close() {
      closing = true;
      if (thread) {
        thread.ref();
        thread.postMessage({ type: "stop" } satisfies ToIntakeWriter);
        await exited;
      }
    },
  };
}

function asError({ name, message, code }: ThreadError): Error {
  const error = new Error(message) as Error & { code?: string };
  error.name = name;
  if (code !== undefined) error.code = code;
  return error;
}
