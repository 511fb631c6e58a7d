import type { ScaffoldOptions } from "./options.js";
import { generatedNames } from "./source-files.js";

const fence = "```";

/** The generated README: install, use with the engine or the worker, develop, release. */
export function readme(options: ScaffoldOptions): string {
  const { id, displayName, packageName, workspace } = options;
  const names = generatedNames(id);
  const run = workspace ? `pnpm -F ${packageName}` : "npm run";
  return `# ${packageName}

restock adapter for **${displayName}**: turns ${displayName} cancellation payloads into restock's
canonical cancellations so the engine can decide, per line, whether inventory goes back up.

## Install

${fence}sh
npm install ${packageName} @restock/core
${fence}

## Use

With the restock worker, name the package in its configuration; the worker imports it, checks its
contract version at start-up and refuses two adapters with one id:

${fence}json
{ "adapters": ["${packageName}"] }
${fence}

In your own service:

${fence}ts
import { createEngine } from "@restock/core";
import { ${names.adapter} } from "${packageName}";

const engine = createEngine({ adapters: [${names.adapter}] });
const result = engine.evaluate({ marketplace: "${id}", mode: "smart", payload: rawBody });
for (const { cancellation, decisions } of result.cancellations) {
  for (const d of decisions) console.log(cancellation.orderId, d.sku, d.quantity, d.restore ? "restore" : "withhold", d.rule);
}
${fence}

## Develop

1. \`src/reasons.ts\`: the marketplace's reason codes, each with its outcome.
2. \`src/payload-schema.ts\`: the documented payload shape (zod); \`src/parse.ts\` maps it to cancellations and ignored events.
3. \`__fixtures__/\`: recorded payloads named after the scenario, each with a \`<scenario>.expected.json\` holding the exact parse result (the kit compares them; it catches a quantity or reason read from the wrong field, and an order that is not cancelled turned into a cancellation); keep one beside each payload you add (the kit compares only those that have one, and fails any cancellation for a fixture named \`*-not-cancelled\`); \`malformed-*\` ones must be rejected with a \`PayloadError\` naming the field (\`malformed-document-*\`: a body refused as a whole, naming none).
4. \`${run} test\` runs the conformance kit and \`test/scenarios.test.ts\`; \`${run} typecheck\`, \`${run} build\`, \`${run} lint:package\`.

The adapter contract and the conformance kit are described in restock's \`docs/adapters.md\`.

## Release

${
  workspace
    ? "Describe every user-visible change with `pnpm changeset` at the repository root; the release workflow versions and publishes."
    : "Describe every user-visible change with `npx changeset`, then `npm run version-packages` and `npm run release` (build, then `changeset publish`)."
}

## Payloads accepted

Describe each payload and the field paths read (order id, lines, SKU, quantity, reason).

## Reason table

| code | label | outcome | origin |
|---|---|---|---|
| \`EXAMPLE_CUSTOMER_CANCEL\` | Customer Cancelled (example: replace me) | restore | spec |
`;
}
