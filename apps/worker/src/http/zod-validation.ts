import type { FastifySchemaCompiler } from "fastify";
import type { z } from "zod";

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
    // An unknown key is named as the field (the CLI and the config loader do the same), not its object.
    const path = (issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path).map(String).join(".");
    return { error: Object.assign(new Error(path ? `${path}: ${issue.message}` : issue.message), { field: path || null }) };
  };
