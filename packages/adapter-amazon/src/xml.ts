import { PayloadError } from "@restock/core";
import { XMLParser } from "fast-xml-parser";

/**
 * Parses an XML body with fast-xml-parser. Values stay text (numbers are validated by the
 * payload schema, not guessed by the parser), attributes and namespace prefixes are dropped,
 * and the elements at `arrayPaths` (dotted paths) are always arrays, even when they occur once.
 * XML that is not well-formed (or breaks the parser's nesting and entity limits) becomes a PayloadError.
 */
export function xmlReader(arrayPaths: readonly string[]): (text: string) => unknown {
  const arrays = new Set(arrayPaths);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    isArray: (_name, path) => arrays.has(String(path)),
  });
  return (text) => {
    try {
      return parser.parse(text, true);
    } catch (error) {
      throw new PayloadError(`body is not well-formed XML (${(error as Error).message})`);
    }
  };
}
