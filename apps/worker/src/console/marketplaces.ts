import type { Engine } from "@restock/core";

/** The channels the rule book names among those the fallback (no-reason) adapter serves, as sellers write them. */
const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  woocommerce: "WooCommerce",
  bigcommerce: "BigCommerce",
  "target-plus": "Target Plus",
};

/**
 * A marketplace's name for people: its adapter's display name, or for channels the fallback adapter
 * serves their usual name, else the channel id in words ("some-channel" → "Some Channel").
 */
export function marketplaceName(engine: Engine, marketplace: string): string {
  return (
    engine.adapters.get(marketplace)?.displayName ??
    CHANNEL_NAMES[marketplace] ??
    marketplace
      .split("-")
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(" ")
  );
}
