/** Everything a new adapter package needs, as file path → contents. */
export interface ScaffoldOptions {
  /** Adapter id and marketplace name: lower-case letters, digits and dashes. */
  id: string;
  displayName: string;
  /** npm package name, e.g. `@restock/adapter-etsy` or `@acme/restock-adapter-etsy`. */
  packageName: string;
  /** Inside the restock monorepo: workspace and catalog versions, the shared tsconfig. */
  workspace: boolean;
  /** Version range of @restock/core to depend on outside the monorepo. */
  coreRange: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  const { id, displayName, packageName, workspace } = options;
  const name = camel(id);
  const v = (catalogOrRange: string) => (workspace ? "catalog:" : catalogOrRange);
  const files: Record<string, string> = {};

  files["package.json"] = json({
    name: packageName,
    version: "0.0.0",
    description: `restock adapter for ${displayName}: maps ${displayName} cancellation payloads to restock's canonical cancellations.`,
    license: "MIT",
    type: "module",
    sideEffects: false,
    files: ["dist"],
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": {
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    engines: { node: ">=20.19" },
    scripts: {
      build: "tsup",
      typecheck: "tsc -p tsconfig.json",
      test: "vitest run",
      "lint:package": "publint --strict && attw --pack . --profile node16",
    },
    keywords: ["restock", "restock-adapter", id],
    dependencies: { zod: v("^4.1.0") },
    peerDependencies: { "@restock/core": workspace ? "workspace:^" : options.coreRange },
    devDependencies: {
      "@restock/core": workspace ? "workspace:*" : options.coreRange,
      "@types/node": v("^20.19.0"),
      tsup: v("^8.5.0"),
      typescript: v("5.9.3"),
      vitest: v("3.2.7"),
      ...(workspace ? {} : { "@arethetypeswrong/cli": "0.18.5", publint: "0.3.25" }),
    },
    publishConfig: { access: "public" },
  });

  files["tsconfig.json"] = workspace
    ? json({ extends: "../../tsconfig.base.json", include: ["src", "test", "*.config.ts"] })
    : json({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          resolveJsonModule: true,
          isolatedModules: true,
          verbatimModuleSyntax: true,
          noEmit: true,
          types: ["node"],
        },
        include: ["src", "test", "*.config.ts"],
      });

  files["tsup.config.ts"] = `import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
`;

  files["vitest.config.ts"] = `import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["test/**/*.test.ts"] } });
`;

  files["src/reasons.ts"] = `import type { ReasonTable } from "@restock/core";

/**
 * ${displayName}'s cancellation reasons. One row per code; a code the marketplace spells two ways
 * gets two rows with one label. \`origin: "spec"\` for the product's published table,
 * \`"extended"\` for codes beyond it. Outcomes: restore, do_not_restore, ambiguous (restores).
 *
 * Replace the example row with the marketplace's real codes.
 */
export const ${name}Reasons: ReasonTable = [
  { code: "EXAMPLE_CUSTOMER_CANCEL", label: "Customer Cancelled (example: replace me)", outcome: "restore", origin: "spec" },
];
`;

  files["src/payload-schema.ts"] = `import { z } from "zod";

/**
 * The part of ${displayName}'s cancellation payload this adapter reads. Be strict about the
 * fields you need (ids, quantities) and tolerant of the rest: z.object keeps unknown keys out of
 * the result without rejecting them. Replace this stub with the marketplace's documented shape.
 */
export const CancellationPayload = z.object({
  orderId: z.string().min(1).max(128),
  status: z.string().min(1).max(64),
  reasonCode: z.string().max(128).nullish(),
  occurredAt: z.string().max(64).nullish(),
  lines: z
    .array(
      z.object({
        lineId: z.string().min(1).max(128),
        sku: z.string().min(1).max(256),
        orderedQuantity: z.number().int().positive(),
        cancelledQuantity: z.number().int().nonnegative(),
      }),
    )
    .min(1),
});
export type CancellationPayload = z.infer<typeof CancellationPayload>;
`;

  files["src/parse.ts"] = `import { type CancelledLine, type ParseResult, parsePayload, readJson } from "@restock/core";
import { CancellationPayload } from "./payload-schema.js";

/** Raw ${displayName} payload → canonical cancellations and ignored events. Pure; throws only PayloadError. */
export function parse${name[0]?.toUpperCase()}${name.slice(1)}(raw: unknown): ParseResult {
  const payload = parsePayload(CancellationPayload, readJson(raw));
  if (payload.status !== "cancelled") {
    return { cancellations: [], ignored: [{ kind: payload.status, reason: "not_a_cancellation", orderId: payload.orderId }] };
  }
  const lines: CancelledLine[] = payload.lines
    .filter((line) => line.cancelledQuantity > 0)
    .map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      // Cumulative cancelled units, never above what was ordered.
      quantity: Math.min(line.cancelledQuantity, line.orderedQuantity),
      orderedQuantity: line.orderedQuantity,
      reason: payload.reasonCode ? { code: payload.reasonCode } : null,
    }));
  if (lines.length === 0) {
    return { cancellations: [], ignored: [{ kind: payload.status, reason: "not_a_cancellation", orderId: payload.orderId }] };
  }
  return {
    cancellations: [{ marketplace: "${id}", orderId: payload.orderId, occurredAt: payload.occurredAt ?? null, lines }],
    ignored: [],
  };
}
`;

  files["src/index.ts"] = `import { defineAdapter } from "@restock/core";
import pkg from "../package.json" with { type: "json" };
import { parse${name[0]?.toUpperCase()}${name.slice(1)} } from "./parse.js";
import { ${name}Reasons } from "./reasons.js";

export const ${name}Adapter = defineAdapter({
  id: "${id}",
  displayName: "${displayName}",
  contractVersion: 1,
  version: pkg.version,
  reasons: ${name}Reasons,
  parse: parse${name[0]?.toUpperCase()}${name.slice(1)},
});

export default ${name}Adapter;
export { ${name}Reasons } from "./reasons.js";
`;

  files["__fixtures__/cancelled-customer-request.json"] = json({
    orderId: "EX-1001",
    status: "cancelled",
    reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
    occurredAt: "2025-03-04T12:40:25Z",
    lines: [
      { lineId: "1", sku: "MUG-BLUE-12OZ", orderedQuantity: 2, cancelledQuantity: 2 },
      { lineId: "2", sku: "COASTER-SET-4", orderedQuantity: 1, cancelledQuantity: 0 },
    ],
  });
  files["__fixtures__/malformed-missing-order-id.json"] = json({
    status: "cancelled",
    reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
    lines: [{ lineId: "1", sku: "MUG-BLUE-12OZ", orderedQuantity: 2, cancelledQuantity: 2 }],
  });

  files["test/adapter.test.ts"] = `import { runAdapterConformance } from "@restock/core/testing";
import { ${name}Adapter } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, determinism, no I/O.
runAdapterConformance({ adapter: ${name}Adapter, fixtures: new URL("../__fixtures__", import.meta.url) });
`;

  files["README.md"] = `# ${packageName}

restock adapter for **${displayName}**: turns ${displayName} cancellation payloads into restock's
canonical cancellations so the engine can decide, per line, whether inventory goes back up.

## Install

\`\`\`sh
npm install ${packageName} @restock/core
\`\`\`

## Usage

\`\`\`ts
import { createEngine } from "@restock/core";
import { ${name}Adapter } from "${packageName}";

const engine = createEngine({ adapters: [${name}Adapter] });
const result = engine.evaluate({ marketplace: "${id}", mode: "smart", payload: rawBody });
for (const { cancellation, decisions } of result.cancellations) {
  for (const d of decisions) console.log(cancellation.orderId, d.sku, d.quantity, d.restore ? "restore" : "withhold", d.rule);
}
\`\`\`

## Payloads accepted

Describe each payload and the field paths read (order id, lines, SKU, quantity, reason).

## Reason table

| code | label | outcome | origin |
|---|---|---|---|
| \`EXAMPLE_CUSTOMER_CANCEL\` | Customer Cancelled (example) | restore | spec |
`;

  return files;
}

/** The changeset announcing the new package. */
export function initialChangeset(options: ScaffoldOptions): string {
  return `---\n"${options.packageName}": minor\n---\n\nNew adapter for ${options.displayName}.\n`;
}
