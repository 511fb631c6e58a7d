import { PayloadError } from "./payload-error.js";

// XML 1.0 references for adapters that parse XML (fast-xml-parser's `entityDecoder` hook): its own
// decoder leaves numeric references as text and expands a DOCTYPE's entities.
const PREDEFINED = new Map([
  ["&amp;", "&"],
  ["&lt;", "<"],
  ["&gt;", ">"],
  ["&quot;", '"'],
  ["&apos;", "'"],
]);
const REFERENCE = /&[^&;]*;?/g;
const CHARACTER_REFERENCE = /^&#(?:x([0-9A-Fa-f]+)|([0-9]+));$/;

/**
 * Decodes the five predefined entities and character references (`&#45;`, `&#x2D;`) to an XML 1.0
 * character; any other reference (an undefined or DOCTYPE-declared entity) is a PayloadError at
 * `path()`, the element being read (called only then).
 */
export function decodeXmlReferences(text: string, path?: () => string | undefined): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE, (reference) => {
    const value = PREDEFINED.get(reference) ?? characterOf(reference);
    if (value !== undefined) return value;
    throw new PayloadError(
      `${JSON.stringify(reference.slice(0, 40))} is not a character reference or one of XML's five predefined entities (a DOCTYPE's entities are not expanded)`,
      path?.(),
    );
  });
}

function characterOf(reference: string): string | undefined {
  const digits = CHARACTER_REFERENCE.exec(reference);
  if (digits === null) return undefined;
  const code = digits[1] === undefined ? Number(digits[2]) : Number.parseInt(digits[1], 16);
  // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  const legal =
    code < 0x20
      ? code === 0x9 || code === 0xa || code === 0xd
      : code <= 0xd7ff || (code >= 0xe000 && code <= 0x10ffff && code !== 0xfffe && code !== 0xffff);
  return legal ? String.fromCodePoint(code) : undefined;
}
