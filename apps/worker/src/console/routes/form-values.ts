import { z } from "zod";

/** A form field left empty means "no filter": empty strings become undefined before validation. */
export function optionalField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
}

/** The query's value for a field, as text to put back in the form. */
export function fieldText(query: unknown, name: string): string {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
}

/** "field: message" for the first problem, to show above the results. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}
