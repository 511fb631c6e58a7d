import { validateHeaderValue } from "node:http";
import type { FastifyReply } from "fastify";
import { mediaType } from "../intake/body-format.js";
import type { PayloadFormat } from "../store/types.js";

/**
 * Sends a kept body byte for byte, as a download named `<name>.json` or `.xml` (from the format
 * intake read it in; a rejected body's from its Content-Type, else `.bin`). The
 * Content-Type is the one it arrived with, when that is still a valid header value (a replayed
 * line's may not be), else application/octet-stream. The bytes are whatever a sender posted: with
 * nosniff, an attachment and a sandbox they never render as a page of this origin.
 */
export function sendRawBody(
  reply: FastifyReply,
  body: Buffer,
  { contentType, format, name }: { contentType: string | null; format?: PayloadFormat; name: string },
): FastifyReply {
  const type = contentType !== null && isHeaderValue(contentType) ? contentType : "application/octet-stream";
  const extension = format ? (format === "xml" ? "xml" : "json") : extensionOf(mediaType(type));
  return reply
    .type(type)
    .header("content-disposition", `attachment; filename="${name}.${extension}"`)
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "sandbox")
    .header("cache-control", "no-store")
    .send(body);
}

function extensionOf(media: string): "json" | "xml" | "bin" {
  if (media.endsWith("json")) return "json";
  if (media.endsWith("xml")) return "xml";
  return "bin";
}

function isHeaderValue(value: string): boolean {
  try {
    validateHeaderValue("content-type", value);
    return value.trim() !== "";
  } catch {
    return false;
  }
}
