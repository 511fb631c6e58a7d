import type { Integration } from "../../src/settings/integration.js";
import type { Store } from "../../src/store/store.js";

/** Creates integrations straight in the store (a fixture's set-up), as set by a seller through the CLI. */
export async function createIntegrations(
  store: Store,
  integrations: readonly (Omit<Integration, "modeSetBy"> & { modeSetBy?: Integration["modeSetBy"] })[],
): Promise<void> {
  await store.writeIntegrations(
    integrations.map((integration) => ({
      integration: { modeSetBy: "seller", ...integration },
      readAt: null,
      previous: null,
      via: "cli",
    })),
  );
}
