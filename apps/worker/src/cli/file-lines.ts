import { createReadStream } from "node:fs";

/**
 * A file's lines as bytes, streamed (LF or CRLF ends; the last line may have none). readline would
 * decode them leniently, turning bytes that are not UTF-8 into U+FFFD before anyone could refuse them.
 * A line's pieces are joined once, at its end, so a long line costs its length, not its length squared.
 */
export async function* fileLines(path: string): AsyncGenerator<Buffer> {
  let pieces: Buffer[] = [];
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a, start); end !== -1; end = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, end);
      yield withoutCr(pieces.length > 0 ? Buffer.concat([...pieces, piece]) : piece);
      pieces = [];
      start = end + 1;
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
  }
  if (pieces.length > 0) yield withoutCr(Buffer.concat(pieces));
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}
