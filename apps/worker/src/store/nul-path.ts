/**
 * The path to the first string holding U+0000 in a value, or undefined: PostgreSQL text cannot
 * hold NUL. Intake refuses a delivery whose adapter result holds one (the free text an adapter
 * copies from the payload: a reason's label, an ignored event's kind or detail, a note), naming the
 * field; the PostgreSQL store checks each evaluation before writing it. Walked, not serialized, and
 * the path is built only on a hit: the store's check runs for every event.
 */
export function nulPath(value: unknown): (string | number)[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i]);
      if (found) {
        found.unshift(i);
        return found;
      }
    }
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      const found = nulPath((value as Record<string, unknown>)[key]);
      if (found) {
        found.unshift(key);
        return found;
      }
    }
  }
  return undefined;
}
