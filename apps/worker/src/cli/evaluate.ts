import { readFileSync } from "node:fs";
import {
  AdapterError,
  decodeUtf8,
  type Engine,
  isPayloadError,
  looksLikeXml,
  type RestorationMode,
  restorableQuantity,
  UnknownMarketplaceError,
} from "@restock/core";
import { type Command, InvalidArgumentError, Option } from "commander";
import { loadAdapters } from "../adapters/load-adapters.js";
import { evaluatePayloadInput, type PayloadInput, readPayload } from "../intake/read-payload.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, commaList, configFrom } from "./config-options.js";

interface EvaluateFlags extends Omit<ConfigFlags, "db"> {
  marketplace: string;
  mode: RestorationMode;
  file?: string;
}

/** `restock evaluate`: what the worker would decide for one payload. Pure: no database. */
export function evaluateCommand(program: Command): void {
  program
    .command("evaluate")
    .description("decide a payload (raw marketplace JSON/XML or a canonical cancellation) without a database; prints JSON")
    .requiredOption("-m, --marketplace <id>", "marketplace id (an adapter id, or any channel the no-reason adapter serves)", marketplaceId)
    .addOption(new Option("--mode <mode>", "restoration mode").choices(["smart", "always", "never"]).default("smart"))
    .option("-f, --file <path>", "payload file (default: stdin)")
    .option("-c, --config <file>", "JSON config file (else $RESTOCK_CONFIG)")
    .option("--adapters <packages>", "comma-separated adapter packages to load (else $RESTOCK_ADAPTERS)", commaList)
    .action(async (flags: EvaluateFlags) => {
      const config = configFrom(flags);
      const { engine } = await loadAdapters(config.adapters);
      const bytes = await readInput(flags.file);
      let text: string;
      try {
        text = decodeUtf8(bytes);
      } catch (error) {
        throw new CliError(`invalid ${flags.marketplace} payload: ${(error as Error).message}`, EXIT.invalidPayload);
      }
      process.stdout.write(`${JSON.stringify(evaluateText(engine, flags.marketplace, flags.mode, text))}\n`);
    });
}

function marketplaceId(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(value)) throw new InvalidArgumentError("must be lower-case letters, digits and dashes");
  return value;
}

async function readInput(file: string | undefined): Promise<Buffer> {
  if (file !== undefined) {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new CliError(`cannot read --file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
    }
  }
  if (process.stdin.isTTY) throw new CliError("no payload: pass --file <path> or pipe one on stdin", EXIT.usage);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The evaluation in the CLI's JSON shape; a malformed payload exits 2 naming the field. */
export function evaluateText(engine: Engine, marketplace: string, mode: RestorationMode, text: string) {
  const adapter = engine.adapterFor(marketplace);
  // The fallback read it: a new adapter left out of --adapters looked broken, its payload refused
  // with the fallback's field names and nothing saying which adapter had read it.
  const readBy =
    adapter !== undefined && adapter.id !== marketplace
      ? ` (read by the ${adapter.id} fallback: no adapter of marketplace "${marketplace}" is loaded; --adapters or RESTOCK_ADAPTERS loads one)`
      : "";
  try {
    const input: PayloadInput = readPayload(text, looksLikeXml(text) ? "xml" : "json", true);
    // As intake refuses it (415), before the adapter sees it: an adapter reading XML without
    // declaring it decided here and refused every webhook.
    if (adapter && input.format !== "canonical" && !adapter.capabilities.formats.includes(input.format)) {
      throw new CliError(
        `invalid ${marketplace} payload${readBy}: the ${adapter.id} adapter takes ${adapter.capabilities.formats.join(" or ").toUpperCase()} payloads, and this one is ${input.format.toUpperCase()} (the worker answers such a delivery 415)`,
        EXIT.invalidPayload,
      );
    }
    const evaluation = evaluatePayloadInput(engine, marketplace, mode, input);
    return {
      // Which adapter decided, and its version: the fallback decides for a marketplace without its own.
      adapter: adapter === undefined ? null : `${adapter.id}@${adapter.version}`,
      // The mode decided under, the reason's label and each ignored event's order: the "why" a
      // decision records (the rule book), which the output left out.
      mode,
      cancellations: evaluation.cancellations.map(({ cancellation, decisions }) => ({
        orderId: cancellation.orderId,
        lines: decisions.map((d) => ({
          lineId: d.lineId,
          sku: d.sku,
          quantity: d.quantity,
          outcome: d.outcome,
          restore: d.restore,
          rule: d.rule,
          reasonCode: d.reasonCode,
          reasonLabel: d.reasonLabel,
          reasonOrigin: d.reasonOrigin,
          // A line cancelled under several reasons: how many units may be restored, and each reason's part.
          ...(d.parts === undefined
            ? {}
            : {
                restorableQuantity: restorableQuantity(d),
                parts: d.parts.map(({ quantity, outcome, restore, rule, reasonCode, reasonLabel, reasonOrigin }) => ({
                  quantity,
                  outcome,
                  restore,
                  rule,
                  reasonCode,
                  reasonLabel,
                  reasonOrigin,
                })),
              }),
        })),
      })),
      ignored: evaluation.ignored.map(({ kind, reason, orderId, detail }) => ({
        kind,
        reason,
        orderId: orderId ?? null,
        detail: detail ?? null,
      })),
    };
  } catch (error) {
    if (isPayloadError(error)) throw new CliError(`invalid ${marketplace} payload${readBy}: ${error.message}`, EXIT.invalidPayload);
    // The adapter broke its contract on this payload (a bug to report, not the payload's fault).
    if (error instanceof AdapterError) throw new CliError(error.message, EXIT.failure);
    // No adapter serves the marketplace (--adapters without the no-reason fallback): a usage error.
    if (error instanceof UnknownMarketplaceError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}
