import { RestorationMode } from "@restock/core";
import { type Command, Option } from "commander";
import { IntegrationChange, IntegrationId, publicIntegration } from "../settings/integration.js";
import { SettingsError } from "../settings/settings-service.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, withConfigOptions } from "./config-options.js";
import { printLines, withWorker } from "./open-worker.js";

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
        if (await worker.settings.get(id)) throw new CliError(`integration "${id}" exists: use set-mode to change it`, EXIT.usage);
        try {
          const { integration } = await worker.settings.put(id, change, "cli");
          printLines([publicIntegration(integration)]);
        } catch (error) {
          // The settings name the API's fields; here the operator typed flags.
          if (error instanceof SettingsError && error.field !== null) {
            throw new CliError(`${ADD_FLAGS[error.field] ?? error.field}: ${error.message}`, EXIT.usage);
          }
          throw error;
        }
      });
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

function checkId(id: string): void {
  const result = IntegrationId.safeParse(id);
  if (!result.success) throw new CliError(`integration id: ${result.error.issues[0]!.message}`, EXIT.usage);
}

/** The flag of `integrations add` that gives each field, for errors: `--secret: …`, not `webhookSecret: …`. */
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
