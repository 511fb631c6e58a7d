import { CONTRACT_VERSION } from "@restock/core";
import { identifierStem } from "../names.js";
import type { ScaffoldOptions } from "./options.js";

/** Names used across the generated sources: `etsyAdapter`, `etsyReasons`, `parseEtsy`. */
export function generatedNames(id: string) {
  const stem = identifierStem(id);
  return {
    adapter: `${stem}Adapter`,
    reasons: `${stem}Reasons`,
    parse: `parse${stem.charAt(0).toUpperCase()}${stem.slice(1)}`,
  };
}

/** src/ (reason table, payload schema stub, parse, defineAdapter, build-time version) and test/ (conformance kit, recorded scenarios). */
export function sourceFiles(options: ScaffoldOptions): Record<string, string> {
  const { id, displayName } = options;
  const names = generatedNames(id);
  // Strings that land in TypeScript source go through JSON.stringify so any display name is a valid literal.
  const idLiteral = JSON.stringify(id);
  return {
    "src/reasons.ts": `import type { ReasonTable } from "@restock/core";

/**
 * ${displayName}'s cancellation reasons. One row per code; a code the marketplace spells two ways
 * gets two rows with one label. \`origin: "spec"\` for the product's published table,
 * \`"extended"\` for codes beyond it. Outcomes: restore, do_not_restore, ambiguous (restores).
 *
 * Replace the example row with the marketplace's real codes.
 */
export const ${names.reasons}: ReasonTable = [
  { code: "EXAMPLE_CUSTOMER_CANCEL", label: "Customer Cancelled (example: replace me)", outcome: "restore", origin: "spec" },
];
`,
    "src/payload-schema.ts": `import { Count, Id, ReasonText, Sku, Timestamp, uniqueIds, z } from "@restock/core/fields";

/**
 * The part of ${displayName}'s cancellation payload this adapter reads. Be strict about the
 * fields you need (ids, quantities) and tolerant of the rest: z.object keeps unknown keys out of
 * the result without rejecting them. Replace this stub with the marketplace's documented shape.
 *
 * Ids, SKUs, counts, times and reasons use core's fields, whose bounds are the canonical
 * cancellation's: a payload that passes them always gives a valid result (a SKU holding NUL is a
 * 400 naming the field, not an event the worker accepts and cannot apply).
 *
 * z.compile turns the schema into one generated check for a valid payload, faster than zod's
 * per-field parser (an invalid one falls back to it, so errors name the same fields), as the
 * published adapters do.
 */
export const CancellationPayload = z.compile(
  z.object({
    orderId: Id,
    status: z.string().min(1).max(64),
    reasonCode: ReasonText.nullish(),
    occurredAt: Timestamp.nullish(),
    lines: z
      .array(
        z
          .object({
            lineId: Id,
            sku: Sku,
            orderedQuantity: Count.min(1),
            cancelledQuantity: Count,
          })
          // More units cancelled than ordered is a broken payload: refused naming the field, not
          // capped (a cap hides which of the two numbers is wrong, and may restore units never sold).
          .refine((line) => line.cancelledQuantity <= line.orderedQuantity, {
            message: "is above orderedQuantity",
            path: ["cancelledQuantity"],
          }),
      )
      .min(1)
      // The ledger keys a line's cumulative quantity by its id: one id twice is a broken payload.
      .superRefine(uniqueIds((line) => line.lineId, "lineId")),
  }),
);
export type CancellationPayload = z.infer<typeof CancellationPayload>;
`,
    "src/parse.ts": `import { type CancelledLine, type ParseResult, parsePayload, readJson } from "@restock/core";
import { CancellationPayload } from "./payload-schema.js";

/** Raw ${displayName} payload → canonical cancellations and ignored events. Pure; throws only PayloadError. */
export function ${names.parse}(raw: unknown): ParseResult {
  const payload = parsePayload(CancellationPayload, readJson(raw));
  const lines: CancelledLine[] = payload.lines
    .filter((line) => line.cancelledQuantity > 0)
    .map((line) => ({
      lineId: line.lineId,
      sku: line.sku,
      // Cumulative cancelled units (the schema refuses more than were ordered).
      quantity: line.cancelledQuantity,
      orderedQuantity: line.orderedQuantity,
      reason: payload.reasonCode ? { code: payload.reasonCode } : null,
    }));
  if (payload.status !== "cancelled" || lines.length === 0) {
    // Recognised, and deliberately moves no inventory.
    return { cancellations: [], ignored: [{ kind: payload.status, reason: "not_a_cancellation", orderId: payload.orderId }] };
  }
  return {
    cancellations: [{ marketplace: ${idLiteral}, orderId: payload.orderId, occurredAt: payload.occurredAt ?? null, lines }],
    ignored: [],
  };
}
`,
    "src/version.ts": `// tsup.config.ts and vitest.config.ts define __ADAPTER_VERSION__ as this package's version, read
// from package.json at build time. Importing package.json here instead would make the bundle
// carry all of it (scripts, dev tools, local paths and ranges), not just the version.
declare const __ADAPTER_VERSION__: string;

export const version: string = __ADAPTER_VERSION__;
`,
    "src/index.ts": `import { defineAdapter } from "@restock/core";
import { ${names.parse} } from "./parse.js";
import { ${names.reasons} } from "./reasons.js";
import { version } from "./version.js";

export const ${names.adapter} = defineAdapter({
  id: ${idLiteral},
  displayName: ${JSON.stringify(displayName)},
  // The adapter contract this package implements; the host's core refuses a version it does not support.
  contractVersion: ${CONTRACT_VERSION},
  version,
  reasons: ${names.reasons},
  parse: ${names.parse},
});

// The restock worker loads an adapter package by name and uses its default export.
export default ${names.adapter};
export { ${names.reasons} } from "./reasons.js";
`,
    "test/adapter.test.ts": `import { runAdapterConformance } from "@restock/core/testing";
import { ${names.adapter} } from "../src/index.js";

// The shared suite: reason table, fixtures, malformed input, hostile values, determinism, no I/O.
runAdapterConformance({ adapter: ${names.adapter}, fixtures: new URL("../__fixtures__", import.meta.url) });
`,
    "test/scenarios.test.ts": `import { readFileSync } from "node:fs";
import { createEngine } from "@restock/core";
import { describe, expect, it } from "vitest";
import { ${names.adapter} } from "../src/index.js";

// Recorded payloads through the real engine, with the exact decisions a seller would see.
const engine = createEngine({ adapters: [${names.adapter}] });
const fixture = (name: string) => readFileSync(new URL(\`../__fixtures__/\${name}.json\`, import.meta.url), "utf8");

describe(${JSON.stringify(`${displayName} recorded payloads`)}, () => {
  it("a customer cancellation restores the cancelled line under Smart Logic", () => {
    const result = engine.evaluate({ marketplace: ${idLiteral}, mode: "smart", payload: fixture("cancelled-customer-request") });
    expect(result.ignored).toEqual([]);
    expect(result.cancellations.map(({ cancellation }) => cancellation.orderId)).toEqual(["EX-1001"]);
    // Line 2 had nothing cancelled, so only line 1 is decided.
    expect(result.cancellations.flatMap(({ decisions }) => decisions)).toEqual([
      {
        lineId: "1",
        sku: "MUG-BLUE-12OZ",
        quantity: 2,
        restore: true,
        mode: "smart",
        outcome: "restore",
        rule: "smart.restore",
        reasonCode: "EXAMPLE_CUSTOMER_CANCEL",
        reasonLabel: "Customer Cancelled (example: replace me)",
        reasonOrigin: "spec",
        reasonDerived: false,
      },
    ]);
  });

  it("an order that is still open is ignored, never restored", () => {
    const result = engine.evaluate({ marketplace: ${idLiteral}, mode: "always", payload: fixture("open-order-not-cancelled") });
    expect(result.cancellations).toEqual([]);
    expect(result.ignored).toEqual([{ kind: "open", reason: "not_a_cancellation", orderId: "EX-1002" }]);
  });
});
`,
  };
}
