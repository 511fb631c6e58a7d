// Generated marketplace events for the processing and replay benchmarks: every adapter's valid
// fixtures with a fresh order id per event, partial cancellations (cumulative quantities over two
// events of one order), exact redeliveries and a few malformed deliveries, streamed to JSON lines
// in the format `restock replay` reads.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { ADAPTERS, importAdapter, importCore, loadFixtures, requireFrom, WORKER_DIR } from "./workspace.mjs";

/** Digits of an order id that a generated event replaces: 10^7 distinct orders per template. */
const ID_DIGITS = 7;

/** Share of each kind of event in a generated stream. */
export const MIX = { partialOrders: 0.1, malformed: 0.01, redeliveries: 0.03 };

/** Deterministic PRNG (mulberry32): the same seed gives the same file. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The order id with its last ID_DIGITS digits replaced by `n`, other characters kept (`113-5528843-1162734`). */
export function substituteId(original, n) {
  const digits = String(n).padStart(ID_DIGITS, "0");
  const chars = [...original];
  let taken = ID_DIGITS;
  for (let i = chars.length - 1; i >= 0 && taken > 0; i--) {
    if (chars[i] >= "0" && chars[i] <= "9") chars[i] = digits[--taken];
  }
  return chars.join("");
}

function orderIdsOf(result) {
  return [...new Set([...result.cancellations.map((c) => c.orderId), ...result.ignored.map((i) => i.orderId)])];
}

/**
 * Templates from the fixtures: one per valid fixture about exactly one order whose id has at least
 * ID_DIGITS digits (so generated ids stay distinct); a `-redelivered` fixture is left out, since
 * redeliveries are made by repeating a generated line. A template is kept only if a generated
 * body parses to the generated order id with the same number of lines.
 */
export async function loadEventSources() {
  const core = await importCore();
  const { parse, stringify } = requireFrom(WORKER_DIR, "lossless-json");
  const integrations = new Map();
  const templates = [];
  const malformed = [];
  const canonical = [];
  for (const entry of ADAPTERS) {
    const adapter = await importAdapter(entry);
    const engine = core.createEngine({ adapters: [adapter], fallback: adapter });
    for (const fixture of loadFixtures(entry)) {
      // no-reason fixtures are named after the channel (etsy-receipt-…): one integration per channel.
      const marketplace = entry.id === "no-reason" ? fixture.name.split("-")[0] : entry.id;
      const integrationId = `bench-${marketplace}`;
      const contentType = fixture.format === "xml" ? "application/xml" : "application/json";
      // Recorded webhook bodies are compact JSON; lossless-json keeps 64-bit ids exact.
      const text = fixture.format === "json" ? stringify(parse(fixture.text)) : fixture.text;
      if (fixture.malformed) {
        malformed.push({ integrationId, marketplace, contentType, text });
        continue;
      }
      if (fixture.name.endsWith("-redelivered")) continue;
      const parsed = engine.parse(marketplace, text);
      const ids = orderIdsOf(parsed);
      if (ids.length !== 1 || ids[0] === undefined || (ids[0].match(/\d/g) ?? []).length < ID_DIGITS) continue;
      const parts = text.split(ids[0]);
      const probe = substituteId(ids[0], 1234567);
      const check = engine.parse(marketplace, parts.join(probe));
      const lines = parsed.cancellations.reduce((sum, c) => sum + c.lines.length, 0);
      const checkLines = check.cancellations.reduce((sum, c) => sum + c.lines.length, 0);
      if (orderIdsOf(check).join() !== probe || checkLines !== lines) continue;
      integrations.set(integrationId, { id: integrationId, marketplace });
      templates.push({
        name: `${entry.id}/${fixture.name}`,
        adapterId: entry.id,
        integrationId,
        marketplace,
        contentType,
        orderId: ids[0],
        parts,
        lines,
      });
    }
    if (entry.id !== "no-reason") {
      // Partial cancellations in canonical form, under a reason of the marketplace's own table.
      const reason = adapter.reasons.find((row) => row.outcome === "restore") ?? adapter.reasons[0];
      canonical.push({ integrationId: `bench-${entry.id}`, marketplace: entry.id, reasonCode: reason?.code ?? null });
      integrations.set(`bench-${entry.id}`, { id: `bench-${entry.id}`, marketplace: entry.id });
    }
  }
  const known = new Set(integrations.keys());
  return { integrations: [...integrations.values()], templates, canonical, malformed: malformed.filter((m) => known.has(m.integrationId)) };
}

/** The two cumulative slices of one order's partial cancellation: 1 of 3 units, then 3 of 3 and a second line. */
function partialSlices(source, n) {
  const orderId = `P${String(n).padStart(9, "0")}`;
  const reason = source.reasonCode === null ? null : { code: source.reasonCode };
  const sku = (k) => `BENCH-SKU-${(n * 7 + k) % 5000}`;
  const base = { marketplace: source.marketplace, orderId, occurredAt: new Date(1_750_000_000_000 + n * 1000).toISOString() };
  return [
    { ...base, lines: [{ lineId: "1", sku: sku(0), quantity: 1, orderedQuantity: 3, reason }] },
    {
      ...base,
      lines: [
        { lineId: "1", sku: sku(0), quantity: 3, orderedQuantity: 3, reason },
        { lineId: "2", sku: sku(1), quantity: 2, orderedQuantity: 2, reason },
      ],
    },
  ];
}

/**
 * Yields `count` replay lines (JSON text without the newline). Raw payloads are string bodies, as
 * recorded webhooks are; canonical cancellations are JSON values, as a host writes them. Second
 * slices and redeliveries come later in the stream, as they do in real traffic.
 */
export function* generateLines(sources, count, seed = 1) {
  const next = random(seed);
  const { templates, canonical, malformed } = sources;
  const byAdapter = new Map();
  for (const template of templates) {
    if (!byAdapter.has(template.adapterId)) byAdapter.set(template.adapterId, []);
    byAdapter.get(template.adapterId).push(template);
  }
  const groups = [...byAdapter.values()];
  const later = new Map(); // position in the stream → lines due then
  const recent = [];
  let order = 0;
  for (let emitted = 0; emitted < count; ) {
    const due = later.get(emitted);
    later.delete(emitted);
    let line;
    if (due) {
      line = due.pop();
      // Lines due at the same position go out one after the other.
      if (due.length > 0) later.set(emitted + 1, [...(later.get(emitted + 1) ?? []), ...due]);
    } else {
      const roll = next();
      if (roll < MIX.redeliveries && recent.length > 0) {
        line = recent[Math.floor(next() * recent.length)];
      } else if (roll < MIX.redeliveries + MIX.malformed && malformed.length > 0) {
        const bad = malformed[Math.floor(next() * malformed.length)];
        line = JSON.stringify({ integrationId: bad.integrationId, contentType: bad.contentType, body: bad.text });
      } else if (roll < MIX.redeliveries + MIX.malformed + MIX.partialOrders) {
        const source = canonical[order % canonical.length];
        const [first, second] = partialSlices(source, order++);
        line = JSON.stringify({ integrationId: source.integrationId, body: first });
        const at = emitted + 1 + Math.floor(next() * 2000);
        if (!later.has(at)) later.set(at, []);
        later.get(at).push(JSON.stringify({ integrationId: source.integrationId, body: second }));
      } else {
        // Adapters in turn, so each weighs the same whatever its number of fixtures.
        const group = groups[order % groups.length];
        const template = group[Math.floor(next() * group.length)];
        const body = template.parts.join(substituteId(template.orderId, order++));
        line = JSON.stringify({ integrationId: template.integrationId, contentType: template.contentType, body });
      }
      if (recent.length < 1000) recent.push(line);
      else recent[Math.floor(next() * recent.length)] = line;
    }
    emitted += 1;
    yield line;
  }
}

/** Streams `count` generated lines to a file, never holding more than a write buffer in memory. */
export async function writeReplayFile(path, sources, count, seed = 1) {
  const out = createWriteStream(path);
  let bytes = 0;
  for (const line of generateLines(sources, count, seed)) {
    bytes += line.length + 1;
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { path, lines: count, bytes };
}
