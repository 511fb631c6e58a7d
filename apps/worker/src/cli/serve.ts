import type { Command } from "commander";
import { integrationsWithoutAdapter } from "../adapters/integrations-without-adapter.js";
import type { Integration } from "../settings/integration.js";
import { sampleSecret, seedSamples } from "../settings/seed-samples.js";
import { databaseLabel } from "../store/open-store.js";
import { isStoreUnavailable } from "../store/store-unavailable.js";
import { createWorker, ListenError } from "../worker.js";
import { CliError, EXIT } from "./cli-error.js";
import { type ConfigFlags, configFrom, withConfigOptions } from "./config-options.js";

interface ServeFlags extends ConfigFlags {
  host?: string;
  port?: string;
  seedSamples?: boolean;
  sinkUrl?: string;
  retainBodiesDays?: string;
}

export function serveCommand(program: Command): void {
  withConfigOptions(program.command("serve").description("run the worker: HTTP intake and API, processing, host sink"))
    .option("--host <host>", "address to listen on (else $RESTOCK_HOST, default 127.0.0.1)")
    .option("-p, --port <port>", "port to listen on, 0 for any free port (else $RESTOCK_PORT, default 8080)")
    .option("--seed-samples", "create one sample integration per loaded adapter, with known secrets (else $RESTOCK_SEED_SAMPLES=1)")
    .option("--sink-url <url>", "host inventory service that receives every adjustment (else $RESTOCK_SINK_URL)")
    .option(
      "--retain-bodies-days <days>",
      "drop the raw bodies of events decided more than <days> days ago, at start-up and then every retention.intervalMs, an hour by default (else $RESTOCK_RETAIN_BODIES_DAYS; default: keep them)",
    )
    .action(async (flags: ServeFlags) => {
      const config = configFrom(flags, {
        host: flags.host,
        port: flags.port,
        seedSamples: flags.seedSamples,
        "sink.url": flags.sinkUrl,
        "retention.bodiesDays": flags.retainBodiesDays,
      });
      const worker = await createWorker(config);
      const { logger } = worker;
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) {
          // A second Ctrl-C, or a supervisor sending SIGTERM again: the stop already under way goes
          // on (bounded by shutdownTimeoutMs), instead of Node's default of ending the process at once.
          logger.warn({ signal }, "already shutting down: finishing the graceful stop");
          return;
        }
        stopping = true;
        logger.info({ signal }, "shutting down: intake stopped, finishing the batch in flight");
        const force = setTimeout(() => {
          logger.error({ timeoutMs: config.shutdownTimeoutMs }, "graceful shutdown timed out");
          process.exit(1);
        }, config.shutdownTimeoutMs);
        force.unref();
        worker.stop().then(
          () => {
            logger.info("stopped");
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
      };
      // Kept for every signal (not once): a repeated one must not fall back to Node's default (exit at once).
      process.on("SIGTERM", () => shutdown("SIGTERM"));
      process.on("SIGINT", () => shutdown("SIGINT"));

      let address: string;
      try {
        address = await worker.listen();
      } catch (error) {
        // Whatever had started (the processor, a thread on SQLite, and the sink, when starting failed
        // after the bind) is stopped; a bind that failed is reported in one line, before the worker
        // has changed anything in the database.
        stopping = true;
        await worker.stop().catch((stopError: unknown) => logger.error({ err: stopError }, "stopping after a failed start failed"));
        if (error instanceof ListenError) {
          throw new CliError(`cannot listen on ${hostPort(config.host, config.port)}: ${listenProblem(error.cause)}`, EXIT.config);
        }
        // The database stopped answering between opening and starting: said in one line, not as a bug.
        if (isStoreUnavailable(error)) throw new CliError(`cannot start: ${(error as Error).message}`, EXIT.failure);
        throw error;
      }
      // Stopped (a signal) while it waited for the database to take writes: nothing started, its store is closed.
      if (stopping) return;
      logger.info(
        { address, db: databaseLabel(config), adapters: worker.adapters.map((a) => `${a.adapter.id}@${a.adapter.version}`) },
        "listening",
      );
      const lines = [`restock worker listening on ${address} (database ${databaseLabel(config)})`];
      if (config.seedSamples) {
        lines.push("sample integrations (webhook secret = sample-secret-<marketplace>; Walmart: hmac:sample-secret-walmart):");
        for (const integration of await seedSamples(worker.settings, worker.engine)) {
          lines.push(`  ${integration.id.padEnd(18)} ${address}/webhooks/${integration.id}${secretNote(integration)}`);
        }
      }
      if (!config.apiToken) lines.push("no apiToken configured: the /v1 API refuses every request (set RESTOCK_API_TOKEN)");
      // Also logged as the worker started (a warning); said here with the rest of what an operator reads first.
      const withoutAdapter = integrationsWithoutAdapter(await worker.settings.list(), worker.adapters, worker.engine);
      if (withoutAdapter) {
        lines.push(`integrations with no adapter of their own loaded (${withoutAdapter.servedBy}): ${withoutAdapter.named.join(", ")}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });
}

/**
 * A sample kept from an earlier start whose secret is no longer the sample one: the banner's
 * "webhook secret = sample-secret-<marketplace>" would send the README's curl to a 401.
 */
function secretNote(integration: Integration): string {
  if (integration.webhookSecret === null) return "  (no webhook secret now: every webhook is refused)";
  if (integration.webhookSecret !== sampleSecret(integration.marketplace)) return "  (its webhook secret was changed: not the sample one)";
  return "";
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Why listen failed, in words, with the system's code: the usual causes are a busy port or a wrong host. */
function listenProblem(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const reason =
    code === "EADDRINUSE"
      ? "the port is already in use"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "the host name does not resolve"
        : code === "EADDRNOTAVAIL"
          ? "no network interface on this machine has that address"
          : code === "EACCES"
            ? "permission denied (ports below 1024 need privileges)"
            : undefined;
  const detail = typeof message === "string" ? message : String(error);
  return reason ? `${reason} (${detail})` : detail;
}
