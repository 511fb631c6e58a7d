import { decodeXmlReferences, PayloadError } from "@restock/core";
import { type MatcherView, XMLParser } from "fast-xml-parser";

/**
 * Parses an XML body with fast-xml-parser. Values stay text (numbers are validated by the
 * payload schema, not guessed by the parser), attributes and namespace prefixes are dropped,
 * and the elements at `arrayPaths` (dotted paths) are always arrays, even when they occur once.
 * XML that is not well-formed (or breaks the parser's nesting and entity limits) becomes a PayloadError:
 * the parser's validation pass stays on, since without it a truncated body parses without error.
 *
 * References are read as XML 1.0 reads them (core's `decodeXmlReferences`): `MUG&#x2D;BLUE` is the SKU
 * MUG-BLUE, and any entity other than the five predefined ones is a PayloadError naming the element,
 * so an entity a DOCTYPE declares is never expanded (no billion laughs, no external entities).
 *
 * `jPath: false` hands callbacks the parser's path matcher instead of a path string built for
 * every element and text node; `isArray` spells the path out only for elements whose name ends
 * one of `arrayPaths`, and the entity decoder only when it refuses a reference.
 */
export function xmlReader(arrayPaths: readonly string[]): (text: string) => unknown {
  const pathsByName = new Map<string, Set<string>>();
  for (const path of arrayPaths) {
    const name = path.slice(path.lastIndexOf(".") + 1);
    pathsByName.set(name, (pathsByName.get(name) ?? new Set()).add(path));
  }
  // The parser's matcher where it is decoding; the tag filter sees it just before each decode.
  let where: MatcherView | undefined;
  const elementPath = () => where?.toString(".", false);
  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: true,
    parseTagValue: false,
    jPath: false,
    isArray: (name, path) => pathsByName.get(name)?.has(String(path)) === true,
    processEntities: {
      tagFilter: (_name, matcher) => {
        where = matcher as MatcherView;
        return true;
      },
    },
    // Replaces the parser's decoder, which leaves numeric references and unknown entities as text
    // (unless `htmlEntities` adds HTML's) and expands the DOCTYPE's entities.
    entityDecoder: {
      decode: (text) => decodeXmlReferences(text, elementPath),
      addInputEntities: () => {},
      setExternalEntities: () => {},
      reset: () => {},
      setXmlVersion: () => {},
    },
  });
  return (text) => {
    try {
      return parser.parse(text, true);
    } catch (error) {
      if (error instanceof PayloadError) throw error;
      throw new PayloadError(`body is not well-formed XML (${(error as Error).message})`);
    }
  };
}
