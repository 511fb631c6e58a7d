import type { Engine } from "@restock/core";
import type { Integration } from "../settings/integration.js";
import type { LoadedAdapter } from "./load-adapters.js";

export interface IntegrationsWithoutAdapter {
  /** Each as `<id> (<marketplace>)`. */
  named: string[];
  /** What serves their deliveries, in words. */
  servedBy: string;
}

/**
 * Integrations whose marketplace has no adapter of its own loaded (left out of RESTOCK_ADAPTERS or
 * `--adapters`, or not installed after a move): the no-reason fallback serves them. It reads no
 * reasons, so under Smart Logic every cancellation restores (Ambiguous), and a payload in the
 * marketplace's own shape is refused as one that misses the fallback's fields. Undefined when none.
 */
export function integrationsWithoutAdapter(
  integrations: readonly Pick<Integration, "id" | "marketplace">[],
  loaded: readonly LoadedAdapter[],
  engine: Engine,
): IntegrationsWithoutAdapter | undefined {
  const loadedIds = new Set(loaded.map((entry) => entry.adapter.id));
  const without = integrations.filter((integration) => !loadedIds.has(integration.marketplace));
  if (without.length === 0) return undefined;
  return {
    named: without.map((integration) => `${integration.id} (${integration.marketplace})`),
    servedBy: engine.adapterFor(without[0]!.marketplace)
      ? "served by the no-reason fallback, which reads no reasons: under Smart Logic every cancellation restores"
      : "no fallback adapter is loaded: their deliveries get 503",
  };
}
