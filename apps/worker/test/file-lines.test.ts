import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { fileLines } from "../src/cli/file-lines.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

async function linesOf(bytes: Buffer): Promise<string[]> {
  const file = join(dir, `lines-${bytes.length}.jsonl`);
  writeFileSync(file, bytes);
  const lines: string[] = [];
  for await (const line of fileLines(file)) lines.push(line.toString("utf8"));
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
