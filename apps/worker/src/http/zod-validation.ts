import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";
import { issuePath } from "../config/issue-path.js";

/**
 * Route schemas are zod schemas: the validator compiler runs them and hands the route the parsed
 * (coerced, defaulted) value; the error names the first bad field.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0]!;
    const path = issuePath(issue).map(String).join(".");
    return { error: Object.assign(new Error(path ? `${path}: ${issue.message}` : issue.message), { field: path || null }) };
  };
