import type { Command } from "commander";
import { HOST_SINK_TURNED_BY, readSinkStatus, readUndelivered } from "../sinks/sink-status.js";
import type { Worker } from "../worker.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, positiveInt, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

/**
 * Whether adjustments are queued for a host sink is the database's state (host_sink): a process with
 * a sink URL turns it on as it starts (not after `disable`), and every process deciding events then
 * queues their adjustments. These commands show it and turn it by hand: off, so that the outbox stops
 * growing while the host is away (it stays off until `enable`), and on again.
 */
export function sinkCommand(program: Command): void {
  const sink = program.command("sink").description("whether this database queues adjustments for a host sink");

  withConfigOptions(sink.command("status").description("the host sink's state and what it has not delivered yet (one JSON line)")).action(
    async (flags: ConfigFlags) => {
      await withWorker(flags, async (worker) => printLines([await readSinkStatus(worker.store)]), { existing: true });
    },
  );

  withConfigOptions(
    sink
      .command("undelivered")
      .description("adjustments the host has not acknowledged, oldest first, with their attempts and last error (JSON lines)"),
  )
    .option("--limit <n>", "rows", positiveInt, 100)
    .option("--after <id>", "only adjustments with a higher id (the last one printed, for the next page)", positiveInt)
    .action(async (flags: ConfigFlags & { limit: number; after?: number }) => {
      const list = async (worker: Worker) => {
        const rows = await readUndelivered(worker.store, flags.after ?? 0, flags.limit);
        printLines(rows);
        // A full page: there may be more (as `decisions` and `dead-letter list` say).
        if (rows.length === flags.limit) process.stderr.write(`more: --after ${rows.at(-1)!.id}\n`);
      };
      await withWorker(flags, list, { existing: true });
    });

  withConfigOptions(
    sink
      .command("skip <ids...>")
      .description("give up on delivering these adjustments (the host refuses them for good); the ledger keeps them, the reason is kept"),
  )
    .requiredOption("--reason <text>", "why, kept with each one")
    .action(async (ids: string[], flags: ConfigFlags & { reason: string }) => {
      if (flags.reason.trim() === "")
        throw new CliError("--reason: say why these adjustments are given up on (it is kept with each)", EXIT.usage);
      const numbers = [...new Set(ids.map(adjustmentId))];
      const skipped = new Set(
        await withWorker(flags, (worker) => worker.store.skipUndelivered(numbers, Date.now(), flags.reason), { existing: true }),
      );
      printLines(
        numbers.map((id) =>
          skipped.has(id)
            ? { id, skipped: true }
            : { id, skipped: false, error: "not undelivered: delivered, skipped already, or no such adjustment" },
        ),
      );
      if (skipped.size < numbers.length) process.exitCode = EXIT.failure;
    });

  for (const [name, enabled, description] of [
    ["enable", true, "queue every later adjustment for a host sink (a process with a sink URL does this as it starts)"],
    [
      "disable",
      false,
      "stop queueing adjustments for a host sink until 'restock sink enable' (a process with a sink URL keeps it off); those queued already stay until delivered",
    ],
  ] as const) {
    withConfigOptions(sink.command(name).description(description)).action(async (flags: ConfigFlags) => {
      await withWorker(
        flags,
        async (worker) => {
          await worker.store.setHostSink(enabled, Date.now(), HOST_SINK_TURNED_BY[name]);
          const status = await readSinkStatus(worker.store);
          printLines([status]);
          if (!enabled && status.undelivered > 0) {
            process.stderr.write(
              `${status.undelivered} adjustments queued before stay in the outbox: a running process with a sink URL still delivers them\n`,
            );
          }
        },
        { existing: true },
      );
    });
  }
}

function adjustmentId(id: string): number {
  // positiveInt reads decimal digits only: Number() would read "0x3" as adjustment 3.
  try {
    return positiveInt(id);
  } catch {
    throw new CliError(`adjustment id "${id}" is not a positive integer`, EXIT.usage);
  }
}
