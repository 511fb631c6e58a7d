import type { z } from "zod";
import { hasBrand, setBrand } from "./brand.js";

export interface PayloadIssue {
  /** Dotted field path into the raw payload, e.g. `order.orderLines.orderLine[1].item.sku`. */
  path: string;
  message: string;
}

const PAYLOAD_ERROR = Symbol.for("restock.PayloadError");

/**
 * The only error an adapter's `parse` may throw: the payload is not what the marketplace
 * documents. The message names the field so an operator can fix or report it.
 *
 * `instanceof PayloadError` also holds for one thrown by another build of core (its CJS build
 * when this is the ESM one, or the reverse): instances carry a `Symbol.for` brand.
 */
export class PayloadError extends Error {
  override readonly name = "PayloadError";
  readonly issues: readonly PayloadIssue[];

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the right-hand side, a subclass when inherited
    return hasBrand(this, PAYLOAD_ERROR, value);
  }

  constructor(issues: readonly PayloadIssue[] | string, path = "") {
    const list = typeof issues === "string" ? [{ path, message: issues }] : issues;
    super(list.map(formatIssue).join("; ") || "invalid payload");
    this.issues = list;
  }

  /** The first offending field's path ("" for the payload as a whole). */
  get path(): string {
    return this.issues[0]?.path ?? "";
  }

  static fromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): PayloadError {
    return new PayloadError(
      error.issues.slice(0, 5).map((issue) => ({
        path: formatPath([...prefix, ...issue.path]),
        message: issue.message,
      })),
    );
  }
}
setBrand(PayloadError, PAYLOAD_ERROR);

export function isPayloadError(error: unknown): error is PayloadError {
  return error instanceof PayloadError || (error instanceof Error && error.name === "PayloadError");
}

function formatIssue(issue: PayloadIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

/**
 * Validates `raw` against an adapter's payload schema, turning zod issues into a PayloadError.
 * Adapters call this instead of `schema.parse` so they never throw a ZodError.
 */
export function parsePayload<S extends z.ZodType>(schema: S, raw: unknown, prefix: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw PayloadError.fromZod(result.error, prefix);
  return result.data;
}
