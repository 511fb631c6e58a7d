import { type Adapter, AdapterDefinitionError, defineAdapter, type ReasonTable } from "@restock/core";
import { z } from "@restock/core/fields";
import { createMiraklParser } from "./parse.js";
import { version } from "./version.js";

/**
 * One Mirakl operator (Best Buy Canada, and any other marketplace run on Mirakl). Mirakl lets
 * each operator define its own cancellation reason codes, so the table is configuration.
 */
export interface MiraklOperator {
  /** The adapter id and marketplace name integrations use, e.g. `mirakl-bestbuy-ca`. */
  id: string;
  displayName: string;
  /** The operator's cancellation reasons, each with the outcome the seller wants. */
  reasons: ReasonTable;
}

// The outer shape only, so that configuration read from a file fails with a field path;
// defineAdapter then checks the id format and every reason row.
const OperatorShape = z.object({ id: z.string(), displayName: z.string(), reasons: z.array(z.unknown()) });

/** Builds the adapter for one Mirakl operator. Throws AdapterDefinitionError for a bad configuration. */
export function createMiraklAdapter(operator: MiraklOperator): Adapter {
  const checked = OperatorShape.safeParse(operator);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AdapterDefinitionError(`mirakl operator options: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  return defineAdapter({
    id: operator.id,
    displayName: operator.displayName,
    contractVersion: 1,
    version,
    reasons: operator.reasons,
    parse: createMiraklParser(operator.id),
  });
}

/**
 * The configurable-adapter entry point a host calls with options from its configuration
 * (`{ "package": "@restock-examples/adapter-mirakl", "options": { ... } }`). Same as
 * createMiraklAdapter, typed for input that has not been checked yet.
 */
export function createAdapter(options: unknown): Adapter {
  return createMiraklAdapter(options as MiraklOperator);
}
