import type { Command } from "commander";
import { DecisionQuery, decisionView, toDecisionFilter } from "../audit/decision-query.js";
import { decisionsCsv } from "../audit/decisions-csv.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

interface DecisionFlags extends ConfigFlags {
  integration?: string;
  order?: string;
  sku?: string;
  outcome?: string;
  rule?: string;
  event?: string;
  from?: string;
  to?: string;
  limit?: string;
  cursor?: string;
  csv?: boolean;
}

/** `restock decisions`: the audit, newest first, as JSON lines (or every matching row as CSV with --csv). */
export function decisionsCommand(program: Command): void {
  withConfigOptions(program.command("decisions").description("query the decision audit"))
    .option("--integration <id>", "integration id")
    .option("--order <id>", "order id")
    .option("--sku <sku>", "SKU")
    .option("--outcome <outcome>", "restore, do_not_restore or ambiguous")
    .option("--rule <rule>", "always, never, smart.restore, smart.do_not_restore, smart.ambiguous, smart.no_reason, smart.unknown_reason")
    .option("--event <id>", "inbox event id")
    .option("--from <time>", "decided at or after (ISO-8601 date-time, or a date: its midnight UTC)")
    .option("--to <time>", "decided before (ISO-8601 date-time, or a date: its midnight UTC)")
    .option("--limit <n>", "rows (1-1000, default 100; not with --csv)")
    .option("--cursor <cursor>", "the id a full page prints on stderr as `more: --cursor <id>` (the next page may be empty)")
    .option("--csv", "export every matching row as CSV")
    .action(async (flags: DecisionFlags) => {
      const { integration, order, sku, outcome, rule, event, from, to, limit, cursor } = flags;
      const parsed = DecisionQuery.safeParse({ integration, order, sku, outcome, rule, event, from, to, limit, cursor });
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new CliError(`--${issue.path.join(".")}: ${issue.message}`, EXIT.usage);
      }
      const query = parsed.data;
      if (flags.csv && (limit !== undefined || cursor !== undefined)) {
        throw new CliError(
          `--${limit !== undefined ? "limit" : "cursor"}: --csv exports every matching row; narrow it with --from, --to or the filters`,
          EXIT.usage,
        );
      }
      await withWorker(
        flags,
        async (worker) => {
          if (flags.csv) {
            for await (const chunk of decisionsCsv(worker.store, { ...toDecisionFilter(query), limit: 1000 })) process.stdout.write(chunk);
            return;
          }
          const rows = await worker.store.queryDecisions(toDecisionFilter(query));
          printLines(rows.map(decisionView));
          if (rows.length === query.limit) process.stderr.write(`more: --cursor ${rows.at(-1)!.id}\n`);
        },
        { existing: true },
      );
    });
}
