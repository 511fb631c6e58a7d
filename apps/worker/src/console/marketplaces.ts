import type { Engine } from "@restock/core";

/** A marketplace's name for people: its adapter's display name, or the channel id for channels the fallback adapter serves. */
export function marketplaceName(engine: Engine, marketplace: string): string {
  return engine.adapters.get(marketplace)?.displayName ?? marketplace.charAt(0).toUpperCase() + marketplace.slice(1);
}
