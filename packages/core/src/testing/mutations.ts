/**
 * An array nested `depth` deep: JSON.parse reads the text of one, but a recursive walk of it, such
 * as JSON.stringify for an error message, overflows the stack.
 */
export function deeplyNested(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Values that replace one field of a valid payload to probe the adapter's validation. */
export const HOSTILE_VALUES: readonly unknown[] = [
  undefined,
  null,
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER * 4,
  "",
  "not-a-number",
  "-3",
  "2.5",
  true,
  {},
  [],
  "x".repeat(100_000),
  // Text that cannot key the ledger: NUL, and a lone surrogate (no exact UTF-8 bytes).
  "A\u0000B",
  "A\ud800B",
  // A body of 1 MiB nests ~500,000 deep; 20,000 already overflows a recursive walk.
  deeplyNested(20_000),
];

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON document, parents before children, up to `limit` paths. */
export function jsonPaths(value: unknown, limit = 400): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (out.length >= limit) return;
    if (path.length > 0) out.push(path);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) walk(node[i], [...path, i]);
    } else if (node && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return out;
}

/** A deep copy of `document` with the value at `path` replaced (or removed, for `undefined`). */
export function withValueAt(document: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(document);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}
