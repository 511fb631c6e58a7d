import type { z } from "zod";

/**
 * Where a zod issue is, as a path: an unknown key's issue sits on the object that holds it, so the
 * key itself is added (`retention.bodiesDay`, `integration`), and every error names what to fix.
 */
export function issuePath(issue: z.core.$ZodIssue): PropertyKey[] {
  return issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
}
