import type { Command } from "commander";
import { prunePayloads } from "../ops/prune-payloads.js";
import { type ConfigFlags, wholeNumber, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

interface PruneFlags extends ConfigFlags {
  olderThan: number;
}

/** `restock prune`: bounds the database's growth by dropping old raw bodies (run it from cron, or by hand). */
export function pruneCommand(program: Command): void {
  withConfigOptions(
    program
      .command("prune")
      .description(
        "drop the raw bodies of events decided more than --older-than days ago (decisions, the ledger, dead letters and duplicate detection stay)",
      ),
  )
    .requiredOption("--older-than <days>", "age in days (0: every decided event)", days)
    .action(async (flags: PruneFlags) => {
      // An existing database only: from cron, a mistyped --db created an empty one and "pruned 0" for ever.
      const result = await withWorker(flags, (worker) => prunePayloads(worker.store, flags.olderThan), { existing: true });
      printLines([{ pruned: result.pruned, decidedBefore: new Date(result.decidedBefore).toISOString() }]);
    });
}

/** Whole days, 0 to 36,500 (a hundred years). */
const days = wholeNumber(0, 36_500, "must be a whole number of days, 0 to 36500");
