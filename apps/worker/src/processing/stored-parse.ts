import type { Adapter, ParseResult } from "@restock/core";

/**
 * What intake keeps of an adapter's parse result (inbox.parsed): intake has to parse every delivery
 * anyway to answer 400 with the field, so processing decides from this instead of parsing the body a
 * second time. It names the adapter and version that produced it: after an adapter upgrade, events
 * still waiting are parsed again from their raw body by the new version.
 */
interface StoredParse extends ParseResult {
  adapterId: string;
  adapterVersion: string;
}

export function storeParse(adapter: Adapter, result: ParseResult): string {
  const stored: StoredParse = {
    adapterId: adapter.id,
    adapterVersion: adapter.version,
    cancellations: result.cancellations,
    ignored: result.ignored,
  };
  return JSON.stringify(stored);
}

/**
 * Whether `adapter` produced the stored text. storeParse writes the adapter's id and version first,
 * so this reads a prefix instead of parsing the whole result.
 */
export function storedBy(text: string, adapter: Adapter | undefined): boolean {
  if (adapter === undefined) return false;
  let prefix = prefixes.get(adapter);
  if (prefix === undefined) {
    prefix = `{"adapterId":${JSON.stringify(adapter.id)},"adapterVersion":${JSON.stringify(adapter.version)},`;
    prefixes.set(adapter, prefix);
  }
  return text.startsWith(prefix);
}

// Checked for every event of every batch (twice: which bodies to claim, then evaluation).
const prefixes = new WeakMap<Adapter, string>();

/** The stored result when `adapter` is the one that produced it; undefined when the body must be parsed again. */
export function readStoredParse(text: string, adapter: Adapter | undefined): ParseResult | undefined {
  if (!storedBy(text, adapter)) return undefined;
  return JSON.parse(text) as StoredParse;
}
