import { statSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { decodeUtf8 } from "@restock/core";
import type { Command } from "commander";
import type { Intake, IntakeResult } from "../intake/intake.js";
import type { Store } from "../store/store.js";
import { createWorker } from "../worker.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, configFrom, positiveInt, stderrLogger, withConfigOptions } from "./config-options.js";
import { fileLines, OversizedLine } from "./file-lines.js";
import { IdRuns } from "./id-runs.js";
import { readReplayLine } from "./replay-line.js";
import { createReplayProgress } from "./replay-progress.js";

interface ReplayFlags extends ConfigFlags {
  window: number;
  progress: boolean;
}

interface Summary {
  lines: number;
  accepted: number;
  rejected: number;
  /** Lines that could not be read or were refused for another reason (401/404/415/503). */
  failed: number;
  byStatus: Record<string, number>;
  /** Accepted events still not decided once processing has drained: pending a retry, or dead. */
  undecided: number;
}

/**
 * `restock replay <file.jsonl>`: feeds recorded events through the same intake and processing as
 * HTTP. The file is streamed (fileLines) and at most `--window` events are in flight, so memory
 * stays bounded whatever the file's size; in-flight events share group commits.
 */
export function replayCommand(program: Command): void {
  withConfigOptions(program.command("replay <file>").description("feed recorded events (JSON lines) through intake and processing"))
    .option("--window <n>", "events in flight at once (they share group commits)", positiveInt, 256)
    .option("--no-progress", "no progress output")
    .action(async (file: string, flags: ReplayFlags) => {
      let size: number;
      try {
        const stat = statSync(file);
        // A folder stats fine and fails only when read, after the worker has started.
        if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
        size = stat.size;
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
      }
      const options = configFrom(flags);
      // Replay ends by draining on this thread, and a thread's own connection and adapters would
      // only add memory to a bulk job (the 1M-event replay stays under 256 MiB).
      const config = { ...options, processing: { ...options.processing, thread: false } };
      const worker = await createWorker(config, { logger: stderrLogger(config, flags) });
      await worker.start();
      const summary: Summary = { lines: 0, accepted: 0, rejected: 0, failed: 0, byStatus: {}, undecided: 0 };
      // This run's events, to ask the store which are still undecided after the drain.
      const acceptedIds = new IdRuns();
      const progress = createReplayProgress(size, flags.progress);
      const inFlight = new Set<Promise<void>>();
      let bytes = 0;
      // The file's line number (blank lines included), for the messages that point into it.
      let lineNumber = 0;
      try {
        for await (const bytesOfLine of fileLines(file, maxLineBytes(config.bodyLimit))) {
          lineNumber += 1;
          if (bytesOfLine instanceof OversizedLine) {
            bytes += bytesOfLine.bytes + 1;
            summary.lines += 1;
            count(summary, lineNumber, new Error(`longer than ${maxLineBytes(config.bodyLimit)} bytes (8 × bodyLimit); skipped unread`));
            continue;
          }
          bytes += bytesOfLine.length + 1;
          let line: string;
          try {
            line = decodeUtf8(bytesOfLine);
          } catch {
            summary.lines += 1;
            count(summary, lineNumber, new Error("not valid UTF-8 text"));
            continue;
          }
          if (line.trim() === "") continue;
          summary.lines += 1;
          const number = lineNumber;
          const task = receive(worker.intake, line).then((result) => {
            count(summary, number, result);
            if (!(result instanceof Error) && result.status === 202) acceptedIds.add(result.eventId);
            progress.update(bytes, summary.accepted + summary.rejected);
          });
          inFlight.add(task);
          void task.finally(() => inFlight.delete(task));
          // Backpressure: stop reading while the window is full.
          if (inFlight.size >= flags.window) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
        // The whole file is read: lines skipped without an event (too long, not UTF-8, blank) moved
        // no progress, so a file ending in them finished at "0%, ETA 140s".
        progress.update(Math.min(bytes, size), summary.accepted + summary.rejected);
        await worker.commits.flush();
        await worker.processor.drain();
        // drain() stops once nothing is due now: an event whose processing failed waits for a
        // retry (or is dead) and would otherwise go unmentioned, with exit 0.
        summary.undecided = await settledUndecided(worker, acceptedIds);
      } finally {
        progress.stop();
        await worker.stop();
      }
      if (summary.undecided > 0) {
        process.stderr.write(
          `replay: ${summary.undecided} accepted events are not decided: processing them (or an earlier event of their order) failed; they wait for a retry by a running worker or are dead letters (restock dead-letter list --kind failed)\n`,
        );
      }
      // Set before the summary is written: a write into a reader that has gone ends the command with it.
      if (summary.failed > 0 || summary.undecided > 0) process.exitCode = EXIT.failure;
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}

/**
 * The longest replay line read: a body at bodyLimit (what HTTP intake takes) written as a JSON
 * string can grow up to 6× (\u escapes), plus the line's other fields.
 */
function maxLineBytes(bodyLimit: number): number {
  return 8 * bodyLimit;
}

/** How long the undecided count may wait for other workers' batches to end (see settledUndecided). */
const SETTLE_MS = 5_000;
const SETTLE_STEP_MS = 250;

/**
 * This run's events still pending or dead once processing is done. On a database other workers
 * share, a claim skips the rows another worker's batch holds, so drain() can end while that batch
 * is still deciding some of this run's events: they looked pending, and the replay said processing
 * had failed (exit 1) though nothing had. Counted again after a short wait (and another drain) until
 * none is left or the count stops changing for SETTLE_MS; only an event that failed (or waits behind
 * one) stays pending that long. Without any undecided event, no wait at all.
 */
export async function settledUndecided(
  worker: { store: Store; processor: { drain(): Promise<unknown> } },
  ids: IdRuns,
  { settleMs = SETTLE_MS, stepMs = SETTLE_STEP_MS } = {},
): Promise<number> {
  let undecided = await countUndecided(worker.store, ids);
  let unchangedMs = 0;
  while (undecided > 0 && unchangedMs < settleMs) {
    await delay(stepMs);
    await worker.processor.drain();
    const now = await countUndecided(worker.store, ids);
    unchangedMs = now === undecided ? unchangedMs + stepMs : 0;
    undecided = now;
  }
  return undecided;
}

/** Asked in slices: one statement's parameter stays small whatever the file's size. */
async function countUndecided(store: Store, ids: IdRuns): Promise<number> {
  let undecided = 0;
  for (const slice of ids.slices(10_000)) undecided += await store.countUndecided(slice);
  return undecided;
}

async function receive(intake: Intake, line: string): Promise<IntakeResult | Error> {
  try {
    const event = readReplayLine(line);
    return await intake.receive({ integrationId: event.integrationId, body: event.body, contentType: event.contentType, source: "replay" });
  } catch (error) {
    return error as Error;
  }
}

function count(summary: Summary, line: number, result: IntakeResult | Error): void {
  if (result instanceof Error) {
    summary.failed += 1;
    summary.byStatus.unreadable = (summary.byStatus.unreadable ?? 0) + 1;
    process.stderr.write(`line ${line}: ${result.message}\n`);
    return;
  }
  summary.byStatus[result.status] = (summary.byStatus[result.status] ?? 0) + 1;
  if (result.status === 202) summary.accepted += 1;
  else if (result.status === 400) {
    // Malformed: kept as a dead letter, not a failure of the replay (exit 0), but named, so the
    // line can be found and the letter retried after a fix.
    summary.rejected += 1;
    // The field, unless the message already starts with it (an adapter's PayloadError does).
    const field = result.field && !result.error.startsWith(`${result.field}: `) ? `${result.field}: ` : "";
    process.stderr.write(`line ${line}: 400 ${field}${result.error} (dead letter ${result.rejectionId})\n`);
  } else {
    summary.failed += 1;
    process.stderr.write(`line ${line}: ${result.status} ${result.error}\n`);
  }
}
