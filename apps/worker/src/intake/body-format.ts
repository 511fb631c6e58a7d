import { validateHeaderValue } from "node:http";
import { looksLikeXml } from "@restock/core";

export type BodyFormat = "json" | "xml";

/**
 * The body's format from its Content-Type: application/json; application/xml or text/xml;
 * text/plain only for XML bodies. Without a content type (replayed events) the body decides.
 * Undefined: not a type the worker accepts (415), such as one no HTTP header could carry.
 */
export function bodyFormat(contentType: string | null | undefined, text: string): BodyFormat | undefined {
  if (contentType === null || contentType === undefined || contentType === "") return sniffedFormat(text);
  if (!isHeaderValue(contentType)) return undefined;
  const media = mediaType(contentType);
  if (media === "application/json") return "json";
  if (media === "application/xml" || media === "text/xml") return "xml";
  if (media === "text/plain") return looksLikeXml(text) ? "xml" : undefined;
  return undefined;
}

/** What the body is, as adapters that read both formats tell (core's looksLikeXml). */
export function sniffedFormat(text: string): BodyFormat {
  return looksLikeXml(text) ? "xml" : "json";
}

/**
 * Whether `value` could arrive as an HTTP header's value (no NUL or other control characters). A
 * replay line or API caller can give any text; with a NUL, PostgreSQL refused the whole group
 * commit, failing every delivery committed with it.
 */
export function isHeaderValue(value: string): boolean {
  try {
    validateHeaderValue("content-type", value);
    return true;
  } catch {
    return false;
  }
}

export function mediaType(contentType: string): string {
  const end = contentType.indexOf(";");
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

export const acceptedContentTypes = ["application/json", "application/xml", "text/xml", "text/plain"] as const;
