import { createReadStream } from "node:fs";

/** A line longer than the cap: only its length was counted, its bytes were never held. */
export class OversizedLine {
  constructor(readonly bytes: number) {}
}

/**
 * A file's lines as bytes, streamed (LF or CRLF ends; the last line may have none). readline would
 * decode them leniently, turning bytes that are not UTF-8 into U+FFFD before anyone could refuse them.
 * A line's pieces are joined once, at its end, so a long line costs its length, not its length squared.
 * A line longer than `maxLineBytes` is skipped as it streams by and yielded as an OversizedLine, so
 * one runaway line (a file with no line ends) cannot take all memory.
 */
export async function* fileLines(path: string, maxLineBytes = Number.POSITIVE_INFINITY): AsyncGenerator<Buffer | OversizedLine> {
  let pieces: Buffer[] = [];
  // The bytes of the current line so far; past the cap its pieces are dropped and only this counts.
  let length = 0;
  const end = (piece: Buffer): Buffer | OversizedLine => {
    const total = length + piece.length;
    const line = total > maxLineBytes ? new OversizedLine(total) : withoutCr(pieces.length > 0 ? Buffer.concat([...pieces, piece]) : piece);
    pieces = [];
    length = 0;
    return line;
  };
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let lf = chunk.indexOf(0x0a, start); lf !== -1; lf = chunk.indexOf(0x0a, start)) {
      yield end(chunk.subarray(start, lf));
      start = lf + 1;
    }
    if (start < chunk.length) {
      length += chunk.length - start;
      if (length <= maxLineBytes) pieces.push(chunk.subarray(start));
      else pieces = [];
    }
  }
  if (length > 0) yield end(Buffer.alloc(0));
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}
