/** What the values past the limit are counted as. */
export const OTHER_LABEL = "(other)";

/**
 * A label whose values come from payloads (a reason code) would add a metric series per value, for
 * the life of the process: one push with thousands of made-up codes grew /metrics from 19 KB to
 * 850 KB. The first `limit` distinct values per key (a marketplace) keep series of their own, cut
 * to `maxLength` characters; later ones are counted together as OTHER_LABEL.
 */
export function boundedLabel(limit = 100, maxLength = 64): (key: string, value: string) => string {
  const seen = new Map<string, Set<string>>();
  return (key, value) => {
    const cut = value.length > maxLength ? value.slice(0, maxLength) : value;
    let values = seen.get(key);
    if (values === undefined) {
      values = new Set();
      seen.set(key, values);
    }
    if (values.has(cut)) return cut;
    if (values.size >= limit) return OTHER_LABEL;
    values.add(cut);
    return cut;
  };
}
