import type { Command } from "commander";
import { deadLetterView, readDeadLetterBody, retryDeadLetter } from "../processing/dead-letters.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, positiveInt, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

interface ListFlags extends ConfigFlags {
  kind?: string;
  integration?: string;
  all?: boolean;
  limit: number;
  cursor?: number;
}

export function deadLetterCommand(program: Command): void {
  const deadLetter = program.command("dead-letter").description("rejected deliveries and events that kept failing");

  withConfigOptions(deadLetter.command("list").description("list dead letters not yet retried (JSON lines, newest first)"))
    .option("--kind <kind>", "rejected (400 at intake) or failed (processing gave up)")
    .option("--integration <id>", "integration id")
    .option("--all", "include letters already retried")
    .option("--limit <n>", "rows", positiveInt, 100)
    .option("--cursor <cursor>", "the cursor printed by the previous page (more: --cursor <id>)", positiveInt)
    .action(async (flags: ListFlags) => {
      if (flags.kind !== undefined && flags.kind !== "rejected" && flags.kind !== "failed") {
        throw new CliError("--kind: must be rejected or failed", EXIT.usage);
      }
      await withWorker(
        flags,
        async (worker) => {
          const letters = await worker.store.listDeadLetters({
            kind: flags.kind as "rejected" | "failed" | undefined,
            integrationId: flags.integration,
            includeRetried: flags.all ?? false,
            beforeId: flags.cursor,
            limit: flags.limit,
          });
          printLines(letters.map(deadLetterView));
          // A full page: there may be more (as `decisions` says); a list cut at --limit without a word
          // read as every open letter, and a retry of "all of them" left the older ones behind.
          if (letters.length === flags.limit) process.stderr.write(`more: --cursor ${letters.at(-1)!.id}\n`);
        },
        { existing: true },
      );
    });

  withConfigOptions(deadLetter.command("body <id>").description("write a dead letter's body to stdout, byte for byte as received"))
    .option("--force", "write it to a terminal too")
    .action(async (id: string, flags: ConfigFlags & { force?: boolean }) => {
      const number = letterId(id);
      // The bytes are a sender's, and a buyer's note in them can hold terminal control sequences.
      if (process.stdout.isTTY && !flags.force) {
        throw new CliError(
          `not writing a raw body to a terminal (it may hold control characters): redirect it, e.g. restock dead-letter body ${number} > dead-letter-${number}, or pass --force`,
          EXIT.usage,
        );
      }
      const body = await withWorker(
        flags,
        async (worker) => {
          const kept = await readDeadLetterBody(worker.store, number);
          if (!kept.found) throw new CliError(kept.error, EXIT.failure);
          return kept.body;
        },
        { existing: true },
      );
      // The process ends once it is written (or, piped into `head`, when the reader goes: program.ts).
      process.stdout.write(body);
    });

  withConfigOptions(
    deadLetter
      .command("retry <ids...>")
      .description("retry dead letters: a failed event goes back to the inbox, a rejected body through intake again"),
  ).action(async (ids: string[], flags: ConfigFlags) => {
    const numbers = ids.map(letterId);
    const results = await withWorker(
      flags,
      async (worker) => {
        const out = [];
        for (const id of numbers) out.push(await retryDeadLetter(worker.store, worker.intake, id));
        await worker.commits.flush();
        return out;
      },
      { existing: true },
    );
    printLines(results);
    if (results.some((result) => !result.retried)) process.exitCode = EXIT.failure;
  });
}

function letterId(id: string): number {
  // positiveInt reads decimal digits only: Number() would read "0x3" as letter 3.
  try {
    return positiveInt(id);
  } catch {
    throw new CliError(`dead letter id "${id}" is not a positive integer`, EXIT.usage);
  }
}
