import { PayloadError } from "@restock/core";
import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * Parses an XML body with fast-xml-parser. Values stay text (numbers are validated by the
 * payload schema, not guessed by the parser), attributes and namespace prefixes are dropped,
 * and the elements at `arrayPaths` (dotted paths) are always arrays, even when they occur once.
 * Malformed XML becomes a PayloadError.
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
    const valid = XMLValidator.validate(text);
    if (valid !== true) throw new PayloadError(`body is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
    try {
      return parser.parse(text);
    } catch (error) {
      // The parser's own limits (nesting depth, entity expansion) on a document the validator accepted.
      throw new PayloadError(`body could not be read as XML (${(error as Error).message})`);
    }
  };
}
