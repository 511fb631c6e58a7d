import { readFileSync } from "node:fs";
import { decodeUtf8 } from "@restock/core";
import type { Command } from "commander";
import { issuePath } from "../config/issue-path.js";
import { repeatedKeyProblem } from "../config/repeated-key.js";
import { LegacyImport } from "../settings/settings-service.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

interface ImportFlags extends ConfigFlags {
  dryRun?: boolean;
  force?: boolean;
}

/** `restock import-legacy <file.json>`: the old "Restore qty on cancel" boolean → mode; prints what changed. */
export function importLegacyCommand(program: Command): void {
  withConfigOptions(
    program
      .command("import-legacy <file>")
      .description('import legacy "Restore qty on cancel" settings (on → always, off → never, unset → smart)'),
  )
    .option("--dry-run", "report what would change without changing it (against a database that exists)")
    .option("--force", "also replace modes set in restock since, and modes of records without a legacy value")
    .action(async (file: string, flags: ImportFlags) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.usage);
      }
      let value: unknown;
      let text: string;
      try {
        // Strict UTF-8 without a leading byte-order mark (exports saved by Windows tools carry one),
        // as `evaluate`, `replay` and HTTP read bodies. Unreadable content is a malformed payload (2).
        text = decodeUtf8(bytes);
        value = JSON.parse(text);
      } catch (error) {
        throw new CliError(`${file}: not valid JSON (${(error as Error).message})`, EXIT.invalidPayload);
      }
      const repeated = repeatedKeyProblem(text);
      if (repeated) throw new CliError(`${file}: ${repeated}`, EXIT.invalidPayload);
      const parsed = LegacyImport.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new CliError(`${file}: ${issuePath(issue).map(String).join(".") || "(root)"}: ${issue.message}`, EXIT.invalidPayload);
      }
      const options = { dryRun: flags.dryRun ?? false, force: flags.force ?? false };
      // A dry run changes nothing: not even a mistyped --db into a new, empty database.
      const rows = await withWorker(flags, (worker) => worker.settings.importLegacy(parsed.data, options), { existing: options.dryRun });
      printLines(rows);
    });
}
