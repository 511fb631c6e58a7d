/**
 * The path to the first string holding U+0000 in an adapter's result, or undefined. Ids, SKUs and
 * reason codes are refused by the adapters' schemas already; this catches the free text an adapter
 * copies from the payload (a reason's label, an ignored event's kind or detail, a note). PostgreSQL
 * text cannot hold NUL, so on that store such an event was accepted and then failed at every
 * processing attempt, holding back its order until it was dead-lettered; refused here, on both
 * stores, the sender gets a 400 naming the field and the body is kept.
 */
export function nulPath(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      const found = nulPath(child, [...path, key]);
      if (found) return found;
    }
  }
  return undefined;
}
