import { parse as parseLossless, stringify as stringifyLossless } from "lossless-json";
import { z } from "zod";
import { isHeaderValue } from "../intake/body-format.js";
import { IntegrationId } from "../settings/integration.js";

/** One line of a replay file: `{"integrationId", "body", "contentType"?}`; body is the raw text or a JSON value. */
const ReplayLine = z.object({
  // As a webhook URL's id must be: a longer or unclean one was looked up as it was (PostgreSQL
  // refused a NUL, failing the line with its own error) and printed in full in the 404.
  integrationId: IntegrationId,
  body: z.unknown().refine((value) => value !== undefined, "is required"),
  contentType: z.string().min(1).max(256).refine(isHeaderValue, "must be a header value (no control characters such as NUL)").optional(),
});

export interface ReplayEvent {
  integrationId: string;
  body: string;
  contentType: string | undefined;
}

/**
 * Reads a replay line. A string body is used as it is; a JSON value is re-serialized from a
 * lossless parse, so integers above 2^53 (Shopify ids) keep every digit.
 */
export function readReplayLine(line: string): ReplayEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const parsed = ReplayLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join(".") || "line"}: ${issue.message}`);
  }
  const { integrationId, body, contentType } = parsed.data;
  if (typeof body === "string") return { integrationId, body, contentType };
  let exact: unknown;
  try {
    exact = (parseLossless(line) as { body: unknown }).body;
  } catch (error) {
    // A key twice in one object, or nesting deeper than the lossless parser's stack: its exact text is unknowable.
    const why = error instanceof RangeError ? "it nests too deeply" : (error as Error).message;
    throw new Error(`body: cannot be re-serialized exactly (${why}): give the body as a JSON string to replay its bytes as they are`);
  }
  return { integrationId, body: stringifyLossless(exact) ?? "", contentType: contentType ?? "application/json" };
}
