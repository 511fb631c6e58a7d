import { RestorationMode } from "@restock/core";
import { type Command, Option } from "commander";
import { IntegrationChange, IntegrationId, publicIntegration } from "../settings/integration.js";
import { SettingsError } from "../settings/settings-service.js";
import type { Worker } from "../worker.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

interface SecretFlags extends ConfigFlags {
  secret?: string;
  clear?: boolean;
}

interface AddFlags extends ConfigFlags {
  marketplace: string;
  mode?: string;
  account?: string;
  secret?: string;
}

export function integrationsCommand(program: Command): void {
  const integrations = program.command("integrations").description("list, add and change integrations");

  withConfigOptions(integrations.command("list").description("list integrations (one JSON object per line)")).action(
    async (flags: ConfigFlags) => {
      await withWorker(flags, async (worker) => printLines((await worker.settings.list()).map(publicIntegration)), { existing: true });
    },
  );

  withConfigOptions(integrations.command("add <id>").description("create an integration"))
    .requiredOption("-m, --marketplace <id>", "its marketplace (adapter id, or any channel for the no-reason adapter)")
    // No commander default: a mode given is the seller's choice (a later legacy import keeps it), none is the default's.
    .addOption(new Option("--mode <mode>", "restoration mode (default: smart)").choices(RestorationMode.options))
    .option("--account <account>", "seller account whose inventory it moves (default: the integration id)")
    .option("--secret <secret>", "webhook secret (else $RESTOCK_WEBHOOK_SECRET)")
    .action(async (id: string, flags: AddFlags) => {
      checkId(id);
      const change = parseChange(
        {
          marketplace: flags.marketplace,
          mode: flags.mode,
          account: flags.account,
          webhookSecret: flags.secret ?? process.env.RESTOCK_WEBHOOK_SECRET,
        },
        ADD_FLAGS,
      );
      await withWorker(flags, async (worker) => {
        if (await worker.settings.get(id)) {
          throw new CliError(`integration "${id}" exists: use set-mode or set-secret to change it`, EXIT.usage);
        }
        printLines([publicIntegration(await putNamingFlags(worker, id, change))]);
      });
    });

  // An integration without a secret refuses every webhook (401): one added without --secret, or made
  // by import-legacy (legacy records carry none), needed the HTTP API before it could take any.
  withConfigOptions(
    integrations
      .command("set-secret <id>")
      .description("set an integration's webhook secret (from --secret or $RESTOCK_WEBHOOK_SECRET), or remove it with --clear"),
  )
    .option("--secret <secret>", "webhook secret (else $RESTOCK_WEBHOOK_SECRET, which keeps it out of the process list)")
    .option("--clear", "remove the secret: every webhook of the integration is then refused (401)")
    .action(async (id: string, flags: SecretFlags) => {
      checkId(id);
      if (flags.clear && flags.secret !== undefined) throw new CliError("--clear: give --secret or --clear, not both", EXIT.usage);
      const secret = flags.clear ? null : (flags.secret ?? process.env.RESTOCK_WEBHOOK_SECRET);
      if (secret === undefined) {
        throw new CliError("--secret: give the secret (or set RESTOCK_WEBHOOK_SECRET), or --clear to remove it", EXIT.usage);
      }
      const change = secret === null ? IntegrationChange.parse({ webhookSecret: null }) : parseChange({ webhookSecret: secret }, ADD_FLAGS);
      await withWorker(
        flags,
        async (worker) => {
          if (!(await worker.settings.get(id))) throw new CliError(`unknown integration "${id}"`, EXIT.usage);
          printLines([publicIntegration(await putNamingFlags(worker, id, change))]);
        },
        { existing: true },
      );
    });

  withConfigOptions(
    integrations.command("set-mode <id> <mode>").description("change an integration's restoration mode (smart, always, never)"),
  ).action(async (id: string, mode: string, flags: ConfigFlags) => {
    checkId(id);
    const change = parseChange({ mode });
    await withWorker(
      flags,
      async (worker) => {
        if (!(await worker.settings.get(id))) throw new CliError(`unknown integration "${id}"`, EXIT.usage);
        const { integration } = await worker.settings.put(id, change, "cli");
        printLines([publicIntegration(integration)]);
      },
      { existing: true },
    );
  });
}

/** Saves a change made from flags; the settings' errors name the API's fields, here the operator typed flags. */
async function putNamingFlags(worker: Worker, id: string, change: IntegrationChange) {
  try {
    return (await worker.settings.put(id, change, "cli")).integration;
  } catch (error) {
    if (error instanceof SettingsError && error.field !== null) {
      throw new CliError(`${ADD_FLAGS[error.field] ?? error.field}: ${error.message}`, EXIT.usage);
    }
    throw error;
  }
}

function checkId(id: string): void {
  const result = IntegrationId.safeParse(id);
  if (!result.success) throw new CliError(`integration id: ${result.error.issues[0]!.message}`, EXIT.usage);
}

/** The flag of `integrations add` (and set-secret) that gives each field, for errors: `--secret: …`, not `webhookSecret: …`. */
const ADD_FLAGS: Record<string, string> = {
  marketplace: "--marketplace",
  mode: "--mode",
  account: "--account",
  webhookSecret: "--secret",
};

function parseChange(input: Record<string, string | undefined>, flagNames: Record<string, string> = {}): IntegrationChange {
  const result = IntegrationChange.safeParse(Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join(".");
    throw new CliError(`${flagNames[field] ?? field}: ${issue.message}`, EXIT.usage);
  }
  return result.data;
}
