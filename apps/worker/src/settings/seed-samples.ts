import type { Engine } from "@restock/core";
import type { Integration } from "./integration.js";
import type { SettingsService } from "./settings-service.js";

/** Secrets whose adapter reads a scheme from them (Walmart: `hmac:<clientSecret>` or `basic:<user>:<password>`). */
const SECRET_SCHEMES: Record<string, string> = { walmart: "hmac:" };

/** The known webhook secret of a sample integration. */
export function sampleSecret(marketplace: string): string {
  return `${SECRET_SCHEMES[marketplace] ?? ""}sample-secret-${marketplace}`;
}

/**
 * `--seed-samples`: one integration per loaded adapter, `sample-<marketplace>`, mode smart,
 * webhook secret `sample-secret-<marketplace>` (Walmart: `hmac:sample-secret-walmart`), so the
 * bundled samples can be sent right away. Existing integrations are left as they are.
 */
export async function seedSamples(settings: SettingsService, engine: Engine): Promise<Integration[]> {
  const seeded: Integration[] = [];
  for (const marketplace of engine.adapters.keys()) {
    const id = `sample-${marketplace}`;
    const existing = await settings.get(id);
    if (existing) {
      seeded.push(existing);
      continue;
    }
    const { integration } = await settings.put(id, { marketplace, webhookSecret: sampleSecret(marketplace) }, "samples");
    seeded.push(integration);
  }
  return seeded;
}
