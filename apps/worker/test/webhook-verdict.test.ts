import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEngine, defineAdapter } from "@restock/core";
import { afterAll, expect, test } from "vitest";
import { createGroupCommit } from "../src/intake/group-commit.js";
import { createIntake } from "../src/intake/intake.js";
import { createLogger } from "../src/ops/logger.js";
import { createMetrics } from "../src/ops/metrics.js";
import { openSqliteStore } from "../src/store/sqlite/open-sqlite-store.js";
import { createIntegrations } from "./support/create-integrations.js";

// An adapter's verifyWebhook is the only gate on its webhook route: only `true` opens it. Adapters
// come from any package (RESTOCK_ADAPTERS), so the worker cannot count on their types.
const base = {
  displayName: "Verdict (test)",
  contractVersion: 1 as const,
  version: "1.0.0",
  reasons: [{ code: "CUSTOMER", label: "Customer", outcome: "restore" as const, origin: "spec" as const }],
  parse: () => ({
    cancellations: [{ marketplace: "", orderId: "1", occurredAt: null, lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }] }],
    ignored: [],
  }),
};
const verdicts: Record<string, () => unknown> = {
  // A Promise, which is truthy: a check that fetches a public key, compiled to a plain function that
  // returns one (defineAdapter refuses a function written `async`, so only such a one gets this far).
  "async-false": () => Promise.resolve(false),
  // A header it expected is missing.
  throws: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'split')");
  },
  "a-string": () => "sha256=abc",
  one: () => 1,
  true: () => true,
};
const adapters = Object.entries(verdicts).map(([id, verdict]) =>
  defineAdapter({
    ...base,
    id: `verdict-${id}`,
    parse: () => {
      const result = base.parse();
      result.cancellations[0]!.marketplace = `verdict-${id}`;
      return result;
    },
    verifyWebhook: verdict as () => boolean,
  }),
);

// A check written as a method that uses its adapter (`this`): called as the adapter's method.
adapters.push(
  defineAdapter({
    ...base,
    id: "verdict-method",
    parse: () => {
      const result = base.parse();
      result.cancellations[0]!.marketplace = "verdict-method";
      return result;
    },
    checkWebhookSecret: (secret) => (secret.length >= 8 ? null : "too short"),
    verifyWebhook(_request, secret) {
      return this.checkWebhookSecret!(secret) === null;
    },
  }),
);

const dir = mkdtempSync(join(tmpdir(), "restock-verdict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a webhook is let in only when the adapter's check returns true: a Promise, a thrown error or any other truthy value is 401", async () => {
  const store = openSqliteStore({ path: join(dir, "verdict.db") });
  try {
    const engine = createEngine({ adapters });
    await createIntegrations(
      store,
      adapters.map((adapter) => ({
        id: adapter.id,
        marketplace: adapter.id,
        account: "acme",
        mode: "smart" as const,
        webhookSecret: "secret-123",
        createdAt: 0,
        updatedAt: 0,
      })),
    );
    const intake = createIntake({
      store,
      engine,
      commits: createGroupCommit(store),
      metrics: createMetrics(store),
      logger: createLogger("silent"),
    });
    const statuses: Record<string, number> = {};
    for (const adapter of adapters) {
      const result = await intake.receive({
        integrationId: adapter.id,
        body: "{}",
        contentType: "application/json",
        source: "webhook",
        webhook: { headers: {}, url: `/webhooks/${adapter.id}` },
      });
      statuses[adapter.id] = result.status;
    }
    expect(statuses).toEqual({
      "verdict-async-false": 401,
      "verdict-throws": 401,
      "verdict-a-string": 401,
      "verdict-one": 401,
      "verdict-true": 202,
      "verdict-method": 202,
    });
  } finally {
    await store.close();
  }
});
