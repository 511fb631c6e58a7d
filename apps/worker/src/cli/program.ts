import { Command, CommanderError } from "commander";
import { AdapterLoadError } from "../adapters/load-adapters.js";
import { ConfigError } from "../config/load-config.js";
import { SettingsError } from "../settings/settings-service.js";
import { DatabaseConnectError } from "../store/postgres/open-postgres-store.js";
import { SchemaVersionError } from "../store/schema-version.js";
import { IntegrationConflict } from "../store/store.js";
import { backupCommand } from "./backup.js";
import { CliError, EXIT } from "./cli-error.js";
import { deadLetterCommand } from "./dead-letter.js";
import { decisionsCommand } from "./decisions.js";
import { evaluateCommand } from "./evaluate.js";
import { importLegacyCommand } from "./import-legacy.js";
import { integrationsCommand } from "./integrations.js";
import { pruneCommand } from "./prune.js";
import { replayCommand } from "./replay.js";
import { serveCommand } from "./serve.js";
import { sinkCommand } from "./sink.js";

export function createProgram(version: string): Command {
  const program = new Command("restock")
    .description("restock worker: applies marketplace cancellations to inventory exactly once, and explains every decision")
    .version(version)
    .showHelpAfterError("(run restock --help for usage)")
    .exitOverride();
  serveCommand(program);
  evaluateCommand(program);
  replayCommand(program);
  integrationsCommand(program);
  decisionsCommand(program);
  deadLetterCommand(program);
  importLegacyCommand(program);
  pruneCommand(program);
  backupCommand(program);
  sinkCommand(program);
  // Output piped into `head` (or any reader that stops early): the command ends quietly when the
  // reader goes, as Unix tools do, instead of an unhandled EPIPE and a stack trace. Set before
  // parsing, so `--help` and `--version` (written while parsing) are covered too. Not serve: a
  // server whose log reader went away still fails, for its supervisor to see.
  const outputQuietly = endQuietlyWhenOutputCloses();
  program.hook("preAction", (_program, action) => {
    if (action.name() === "serve") outputQuietly.undo();
  });
  // Subcommands inherit exitOverride only when set before they are added: set it on all.
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...allCommands(sub)]);
}

function endQuietlyWhenOutputCloses(): { undo(): void } {
  // Quietly, but with the command's own verdict when it has one: a replay behind `2>&1 | head`
  // that failed wrote its summary into the closed pipe after setting exit code 1, and exit 0 hid it.
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT.ok);
    throw error;
  };
  // Progress and per-line errors go to stderr: a reader of it that stops early (`2>&1 | head`)
  // killed a replay part-way, without its summary. What is left to say is lost; the work goes on.
  const onStderrError = (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  };
  process.stdout.on("error", onStdoutError);
  process.stderr.on("error", onStderrError);
  return {
    undo() {
      process.stdout.off("error", onStdoutError);
      process.stderr.off("error", onStderrError);
    },
  };
}

/** Runs the CLI; resolves with the exit code. Errors become one line on stderr. */
export async function runCli(argv: readonly string[], version: string): Promise<number> {
  try {
    await createProgram(version).parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help / version).
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) return fail(error.message, error.exitCode);
    if (error instanceof DatabaseConnectError && error.temporary) return fail(error.message, EXIT.unavailable);
    if (error instanceof ConfigError || error instanceof AdapterLoadError || error instanceof SchemaVersionError) {
      return fail(error.message, EXIT.config);
    }
    if (error instanceof SettingsError) return fail(`${error.field ? `${error.field}: ` : ""}${error.message}`, EXIT.usage);
    if (error instanceof IntegrationConflict) return fail(`${error.message}: run the command again`, EXIT.failure);
    return fail(`restock: ${(error as Error)?.stack ?? String(error)}`, EXIT.failure);
  }
}

function fail(message: string, code: number): number {
  process.stderr.write(`${message}\n`);
  return code;
}
