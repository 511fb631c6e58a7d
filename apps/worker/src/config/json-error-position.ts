import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";

/**
 * Where `text` stops being JSON, in words that quote none of it ("syntax error at line 3, column
 * 15", "it ends too early"); undefined when it is JSON. V8's own message quotes the text around the
 * error (a config file's secret, on stderr and in the logs) and gives no position for most errors;
 * jsonc-parser reports an offset, held here to plain JSON (no comments, no trailing commas).
 */
export function jsonErrorPlace(text: string): string | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  // Past the last character, or a string, number or comment never closed: the text ends too early.
  if (first.offset >= text.trimEnd().length || printParseErrorCode(first.error).startsWith("UnexpectedEndOf")) return "it ends too early";
  const { line, column } = lineAndColumn(text, first.offset);
  return `syntax error at line ${line}, column ${column}`;
}

/** An offset in `text` as a 1-based line and column (in characters). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: offset - lineStart + 1 };
}
