import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { fileLines, OversizedLine } from "../src/cli/file-lines.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

async function linesOf(bytes: Buffer): Promise<string[]> {
  const file = join(dir, `lines-${bytes.length}.jsonl`);
  writeFileSync(file, bytes);
  const lines: string[] = [];
  for await (const line of fileLines(file)) lines.push(line.toString());
  return lines;
}

test("fileLines: LF and CRLF ends, a blank line, a last line without an end, lines longer than a read chunk", async () => {
  // 150,000 two-byte characters: the line spans several 64 KiB chunks, and chunk ends fall inside
  // characters and between \r and \n.
  const long = "é".repeat(150_000);
  const text = `first\r\n${long}\r\n\nthird\n${long}x\r\nlast`;
  expect(await linesOf(Buffer.from(text, "utf8"))).toEqual(["first", long, "", "third", `${long}x`, "last"]);
  expect(await linesOf(Buffer.alloc(0))).toEqual([]);
  expect(await linesOf(Buffer.from("only\n"))).toEqual(["only"]);
});

test("fileLines: a line over the cap is yielded as its length only, and the lines after it are read as usual", async () => {
  const file = join(dir, "oversized.jsonl");
  // 200,000 bytes with no line end inside: spans several read chunks, then a normal line, then an
  // oversized last line without an end.
  writeFileSync(file, `short\n${"x".repeat(200_000)}\r\nafter\n${"y".repeat(5_000)}`);
  const read: (string | number)[] = [];
  for await (const line of fileLines(file, 4_096)) read.push(line instanceof OversizedLine ? line.bytes : line.toString("utf8"));
  expect(read).toEqual(["short", 200_001, "after", 5_000]);
  // At the cap exactly, a line is still read.
  const exact: (string | number)[] = [];
  for await (const line of fileLines(file, 200_001)) exact.push(line instanceof OversizedLine ? line.bytes : line.length);
  expect(exact).toEqual(["short".length, 200_000, "after".length, 5_000]);
});
