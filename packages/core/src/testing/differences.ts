/**
 * Where a result differs from the one it should equal, in words: `path: expected X, got Y`, with
 * paths as PayloadError writes them (`cancellations[0].lines[1].quantity`). A failed `toEqual`
 * printed only "expected { …(2) } to deeply equal { …(2) }" in reporters that shorten values (the
 * JSON one). A missing key and an `undefined` value are the same, as `toEqual` has them. At most
 * `limit` differences are listed.
 */
export function differences(actual: unknown, expected: unknown, limit = 10): string[] {
  const found: string[] = [];
  const at = (path: string) => path || "(the result)";
  const walk = (got: unknown, want: unknown, path: string): void => {
    if (found.length >= limit || Object.is(got, want)) return;
    if (Array.isArray(got) && Array.isArray(want)) {
      for (let index = 0; index < Math.max(got.length, want.length) && found.length < limit; index++) {
        const item = `${path}[${index}]`;
        if (index >= got.length) found.push(`${item}: missing, expected ${show(want[index])}`);
        else if (index >= want.length) found.push(`${item}: not expected, got ${show(got[index])}`);
        else walk(got[index], want[index], item);
      }
      return;
    }
    if (isRecord(got) && isRecord(want) && !Array.isArray(got) && !Array.isArray(want)) {
      const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
      for (const key of keys) walk(got[key], want[key], path ? `${path}.${key}` : key);
      return;
    }
    found.push(`${at(path)}: expected ${show(want)}, got ${show(got)}`);
  };
  walk(actual, expected, "");
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
