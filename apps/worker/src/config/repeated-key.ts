import { parse as parseLossless } from "lossless-json";

/**
 * Why a JSON text holding one key twice in an object is refused, or undefined when none is.
 * JSON.parse keeps the last value silently: a settings record with `"restoreQtyOnCancel": false`
 * and `true` was imported as Always Restore. Which value was meant cannot be known, as with one
 * integration id given twice. The text must already be valid JSON (lossless-json finds the key).
 */
export function repeatedKeyProblem(text: string): string | undefined {
  try {
    parseLossless(text);
    return undefined;
  } catch (error) {
    const found = /^Duplicate key '(.*)' encountered at position (\d+)/s.exec((error as Error).message);
    if (!found) return undefined;
    return `the key "${found[1]}" appears twice in one object (the second at character ${Number(found[2]) + 1}): which value was meant is unknowable`;
  }
}
