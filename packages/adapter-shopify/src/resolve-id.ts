import { formatPath, PayloadError } from "@restock/core";
import { LostDigitsError } from "./read-body.js";

/** A field's path, built only when it has to be named in an error (ids are resolved for every line). */
export type PathOf = () => readonly PropertyKey[];

/** The number at the end of a validated global id (`gid://shopify/LineItem/13688971493691` → `13688971493691`). */
export function numericTail(globalId: string): string {
  return globalId.slice(globalId.lastIndexOf("/") + 1);
}

/**
 * The numeric id of a REST resource: the tail of its `admin_graphql_api_id` when present (a
 * string, so never rounded), else its numeric `id`. An `id` above 2^53 given as a number went
 * through a plain JSON.parse and may have lost digits: LostDigitsError rather than a wrong id.
 */
export function resolveId(globalId: string | undefined, id: number | string | undefined, path: PathOf): string {
  if (globalId !== undefined) return numericTail(globalId);
  if (typeof id === "string") return id;
  if (id === undefined) throw new PayloadError("missing: the payload has neither admin_graphql_api_id nor id", formatPath(path()));
  if (Number.isSafeInteger(id)) return String(id);
  throw new LostDigitsError(
    "is above 2^53 and lost digits when the body was parsed: pass the raw body (text or bytes)",
    formatPath(path()),
  );
}

/** Throws a PayloadError naming the second occurrence when two lines share an id. */
export function uniqueLineIds(ids: readonly string[], path: (index: number) => readonly PropertyKey[]): void {
  const seen = new Set<string>();
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    if (seen.has(id)) throw new PayloadError(`line ${id} appears twice in the order`, formatPath(path(index)));
    seen.add(id);
  }
}
