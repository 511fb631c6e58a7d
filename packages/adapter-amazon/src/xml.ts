import { PayloadError } from "@restock/core";
import { XMLParser } from "fast-xml-parser";

/**
 * Parses an XML body with fast-xml-parser. Values stay text (numbers are validated by the
 * payload schema, not guessed by the parser), attributes and namespace prefixes are dropped,
 * and the elements at `arrayPaths` (dotted paths) are always arrays, even when they occur once.
 * XML that is not well-formed (or breaks the parser's nesting and entity limits) becomes a PayloadError:
 * the parser's validation pass stays on, since without it a truncated body parses without error.
 *
 * `jPath: false` hands callbacks the parser's path matcher instead of a path string built for
 * every element and text node; `isArray` spells the path out only for elements whose name ends
 * one of `arrayPaths`.
 */
export function xmlReader(arrayPaths: readonly string[]): (text: string) => unknown {
  const pathsByName = new Map<string, Set<string>>();
  for (const path of arrayPaths) {
    const name = path.slice(path.lastIndexOf(".") + 1);
    pathsByName.set(name, (pathsByName.get(name) ?? new Set()).add(path));
  }
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    jPath: false,
    isArray: (name, path) => pathsByName.get(name)?.has(String(path)) === true,
  });
  return (text) => {
    try {
      return parser.parse(text, true);
    } catch (error) {
      throw new PayloadError(`body is not well-formed XML (${(error as Error).message})`);
    }
  };
}
