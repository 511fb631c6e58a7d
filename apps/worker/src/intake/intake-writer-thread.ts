// The intake writer thread's entry (built to dist/intake-writer-thread.js): its own SQLite
// connection, which commits the group commit's writes (and waits for their fsync) off the event
// loop that answers webhooks. The main thread acknowledges a delivery only once this thread has
// answered that its transaction is committed.
import { parentPort, workerData } from "node:worker_threads";
import { openSqliteStore } from "../store/sqlite/open-sqlite-store.js";
import type { FromIntakeWriter, IntakeWriterData, ThreadError, ToIntakeWriter } from "./intake-writer-messages.js";

const port = parentPort;
if (!port) throw new Error("intake-writer-thread.js runs as a worker thread of restock serve");
const data = workerData as IntakeWriterData;
const post = (message: FromIntakeWriter) => port.postMessage(message);
const store = openSqliteStore({ path: data.dbPath, busyTimeoutMs: data.busyTimeoutMs });

function asThreadError(error: unknown): ThreadError {
  const { name, message, code } = (error ?? {}) as { name?: unknown; message?: unknown; code?: unknown };
  return {
    name: typeof name === "string" ? name : "Error",
    message: typeof message === "string" ? message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
}

port.on("message", (message: ToIntakeWriter) => {
  if (message.type === "append") {
    // One write at a time: the group commit sends the next only after this one's answer.
    store.appendIntake(message.write).then(
      (receipt) => post({ type: "appended", id: message.id, receipt }),
      (error) => post({ type: "failed", id: message.id, error: asThreadError(error) }),
    );
  } else if (message.type === "stop") {
    // Closing the port ends the thread; the host waits for its exit.
    void store.close().finally(() => port.close());
  }
});
post({ type: "ready" });
