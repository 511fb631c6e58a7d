import type { IntakeReceipt, IntakeWrite } from "../store/types.js";

/** What the intake writer thread starts from: plain data, since a thread shares no objects with its host. */
export interface IntakeWriterData {
  dbPath: string;
  busyTimeoutMs: number;
}

/** A store error as plain data: its `code` decides whether the delivery is answered 503 (isStoreUnavailable). */
export interface ThreadError {
  name: string;
  message: string;
  code?: string;
}

export type ToIntakeWriter = { type: "append"; id: number; write: IntakeWrite } | { type: "stop" };
export type FromIntakeWriter =
  | { type: "ready" }
  | { type: "appended"; id: number; receipt: IntakeReceipt }
  | { type: "failed"; id: number; error: ThreadError };
