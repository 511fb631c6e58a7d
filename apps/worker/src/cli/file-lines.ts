import { createReadStream } from "node:fs";

/**
 * A file's lines as bytes, streamed (LF or CRLF ends; the last line may have none). readline would
 * decode them leniently, turning bytes that are not UTF-8 into U+FFFD before anyone could refuse them.
 */
export async function* fileLines(path: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end !== -1; end = data.indexOf(0x0a, start)) {
      yield data.subarray(start, end > start && data[end - 1] === 0x0d ? end - 1 : end);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length > 0) yield rest[rest.length - 1] === 0x0d ? rest.subarray(0, -1) : rest;
}
