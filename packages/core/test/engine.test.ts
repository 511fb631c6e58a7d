import { describe, expect, it } from "vitest";
import { Count, Id, Sku, UnitCount } from "../src/fields.js";
import {
  AdapterDefinitionError,
  AdapterError,
  Cancellation,
  CanonicalCancellationInput,
  classifyReason,
  createEngine,
  defineAdapter,
  MAX_UNITS,
  ParseResult,
  PayloadError,
  rawText,
  readJson,
  UnknownMarketplaceError,
} from "../src/index.js";
import { exampleAdapter } from "./example-adapter/example-adapter.js";

const noReason = defineAdapter({
  id: "no-reason",
  displayName: "No reason",
  contractVersion: 1,
  reasons: [],
  parse: () => ({
    cancellations: [
      { marketplace: "no-reason", orderId: "X", occurredAt: null, lines: [{ lineId: "1", sku: "S", quantity: 1, reason: null }] },
    ],
    ignored: [],
  }),
});

const payload = (reason: string | null) =>
  JSON.stringify({ order: { id: "A-1", status: "cancelled", reason, lines: [{ id: "1", sku: "MUG", ordered: 2, cancelled: 2 }] } });

describe("createEngine().evaluate", () => {
  const engine = createEngine({ adapters: [exampleAdapter], fallback: noReason });

  it("decides each line with the integration's mode and explains why", () => {
    const result = engine.evaluate({ marketplace: "example", mode: "smart", payload: payload("OUT_OF_STOCK") });
    expect(result.adapterId).toBe("example");
    expect(result.adapterVersion).toBe("1.0.0");
    expect(result.cancellations[0]?.decisions).toEqual([
      {
        lineId: "1",
        sku: "MUG",
        restore: false,
        quantity: 2,
        mode: "smart",
        outcome: "do_not_restore",
        rule: "smart.do_not_restore",
        reasonCode: "OUT_OF_STOCK",
        reasonLabel: "Out of stock",
        reasonOrigin: "spec",
        reasonDerived: false,
      },
    ]);
  });

  // A JavaScript host reading the mode from its own settings: it was a TypeError deep in the engine
  // ("reading 'restore'"), or nothing at all for a payload of ignored events.
  it("refuses a mode that is not always, never or smart, naming mode, whatever the payload holds", () => {
    for (const mode of ["SMART", "sometimes", null, undefined]) {
      const input = { marketplace: "example", mode, payload: payload("OUT_OF_STOCK") } as unknown as Parameters<typeof engine.evaluate>[0];
      expect(() => engine.evaluate(input)).toThrow(
        new TypeError(`mode: expected one of "always", "never", "smart", got ${mode === undefined ? "nothing" : JSON.stringify(mode)}`),
      );
    }
    const notCancelled = JSON.stringify({ order: { id: "A-2", status: "open", reason: null, lines: [] } });
    expect(() => engine.evaluate({ marketplace: "example", mode: "Never" as "never", payload: notCancelled })).toThrow(/^mode: /);
    const cancellation = {
      marketplace: "example",
      orderId: "A-3",
      occurredAt: null,
      lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }],
    };
    expect(() => engine.decideCancellation("example", cancellation, "ALWAYS" as "always")).toThrow(/^mode: /);
  });

  it("names what is wrong with createEngine's options and evaluate's input, for callers without types", () => {
    const create = (options: unknown) => () => createEngine(options as never);
    expect(create({})).toThrowError(new TypeError("createEngine: adapters: expected an array of adapters (defineAdapter's)"));
    expect(create({ adapter: [exampleAdapter] })).toThrowError(
      new TypeError('createEngine: unknown option "adapter" (the options are adapters, fallback and checkOutput)'),
    );
    expect(create({ adapters: [exampleAdapter], fallbak: noReason })).toThrowError(/unknown option "fallbak"/);
    expect(create({ adapters: [exampleAdapter, {}] })).toThrowError(
      new TypeError("createEngine: adapters.1: expected an adapter (defineAdapter's), got an object"),
    );
    expect(create({ adapters: [], fallback: "no-reason" })).toThrowError(/^createEngine: fallback: expected an adapter/);
    expect(create({ adapters: [], checkOutput: "full" })).toThrowError(
      'createEngine: checkOutput: expected "ledger" or "schema", got "full"',
    );
    expect(create(undefined)).toThrowError(TypeError);
    expect(createEngine({ adapters: [exampleAdapter], fallback: undefined }).adapterFor("elsewhere")).toBeUndefined();
    // As before: no fallback given as null, adapters as any iterable (the options object is left as it was).
    expect(createEngine({ adapters: [exampleAdapter], fallback: null as never }).adapterFor("elsewhere")).toBeUndefined();
    const options = Object.freeze({ adapters: new Set([exampleAdapter]) as never });
    expect(createEngine(options).adapterFor("example")).toBe(exampleAdapter);
    expect(() => engine.decideCancellation("example", null as never, "smart")).toThrowError(
      new TypeError("cancellation: expected an object"),
    );
    expect(() => engine.evaluate(undefined as never)).toThrowError(
      new TypeError("evaluate: expected { marketplace, mode, payload } or { marketplace, mode, cancellation }"),
    );
  });

  it("decideCancellation holds the cancellation to what evaluate holds an adapter's result to", () => {
    const line = { lineId: "1", sku: "MUG", quantity: 2, reason: { code: "OUT_OF_STOCK" } };
    const cancellation = { marketplace: "example", orderId: "A-4", occurredAt: null, lines: [line] };
    expect(engine.decideCancellation("example", cancellation, "smart")[0]).toMatchObject({ quantity: 2, rule: "smart.do_not_restore" });
    // Another marketplace's cancellation was looked up in this table; its reason restored as unknown.
    expect(() => engine.decideCancellation("example", { ...cancellation, marketplace: "shopify" }, "smart")).toThrow(
      new TypeError('cancellation.marketplace: expected "example", the adapter\'s id'),
    );
    for (const quantity of [-5, 0, "2", 1.5]) {
      const bad = { ...cancellation, lines: [{ ...line, quantity: quantity as number }] };
      expect(() => engine.decideCancellation("example", bad, "smart")).toThrow(/^cancellation\.lines\.0\.quantity: /);
    }
    // The fallback decides for a marketplace without its own adapter: its cancellations carry that marketplace.
    const etsy = { ...cancellation, marketplace: "etsy", lines: [{ ...line, reason: null }] };
    expect(engine.decideCancellation("etsy", etsy, "smart")[0]).toMatchObject({ rule: "smart.no_reason" });
  });

  it("reads an ArrayBuffer (a Fetch-style request's arrayBuffer()) as the bytes it holds", () => {
    const bytes = new TextEncoder().encode(payload("OUT_OF_STOCK"));
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const result = engine.evaluate({ marketplace: "example", mode: "smart", payload: buffer });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ sku: "MUG", restore: false, rule: "smart.do_not_restore" });
  });

  it("restores under always whatever the reason, and withholds under never", () => {
    const always = engine.evaluate({ marketplace: "example", mode: "always", payload: payload("OUT_OF_STOCK") });
    expect(always.cancellations[0]?.decisions[0]).toMatchObject({ restore: true, rule: "always" });
    const never = engine.evaluate({ marketplace: "example", mode: "never", payload: payload("CUSTOMER") });
    expect(never.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, rule: "never" });
  });

  it("returns ignored events and no decisions for a cancel request", () => {
    const result = engine.evaluate({
      marketplace: "example",
      mode: "always",
      payload: { order: { id: "A-9", status: "cancel_requested", lines: [{ id: "1", sku: "S", ordered: 1, cancelled: 0 }] } },
    });
    expect(result.cancellations).toEqual([]);
    expect(result.ignored).toEqual([{ kind: "cancel_requested", reason: "cancel_requested", orderId: "A-9" }]);
  });

  it("accepts a canonical cancellation for a marketplace and classifies it with that marketplace's table", () => {
    const result = engine.evaluate({
      marketplace: "example",
      mode: "smart",
      payload: {
        marketplace: "example",
        orderId: "H-1",
        occurredAt: "2025-03-04T12:00:00Z",
        lines: [{ lineId: "L1", sku: "MUG", quantity: 1, reason: { code: "out of stock" } }],
      },
    });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, reasonLabel: "Out of stock", reasonOrigin: "spec" });
    const explicit = engine.evaluate({
      marketplace: "example",
      mode: "smart",
      cancellation: {
        marketplace: "example",
        orderId: "H-2",
        occurredAt: null,
        lines: [{ lineId: "L1", sku: "MUG", quantity: 1, reason: null }],
      },
    });
    expect(explicit.cancellations[0]?.decisions[0]).toMatchObject({ restore: true, rule: "smart.no_reason" });
  });

  // Rule book §2: "Numeric codes (Wish, Newegg) match as strings (24 = "24")". A host pushing a
  // Newegg cancellation with Newegg's code as the JSON number 24 was refused (reason.code: expected string).
  it('matches a canonical cancellation\'s numeric reason code as its string (24 = "24")', () => {
    const numeric = defineAdapter({
      id: "numeric",
      displayName: "Numeric codes",
      contractVersion: 1,
      reasons: [
        { code: "72", label: "Customer Requested to Cancel", outcome: "restore", origin: "spec" },
        { code: "24", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" },
      ],
      parse: () => ({ cancellations: [], ignored: [] }),
    });
    const numericEngine = createEngine({ adapters: [numeric] });
    const cancellation = {
      marketplace: "numeric",
      orderId: "41473642",
      occurredAt: null,
      lines: [
        { lineId: "A1", sku: "A1", quantity: 1, reason: { code: 24 } },
        { lineId: "A2", sku: "A2", quantity: 2, reason: { code: 72 } },
      ],
    };
    for (const input of [{ payload: cancellation }, { cancellation }]) {
      const result = numericEngine.evaluate({ marketplace: "numeric", mode: "smart", ...input } as Parameters<
        typeof numericEngine.evaluate
      >[0]);
      expect(result.cancellations[0]?.cancellation.lines.map((line) => line.reason)).toEqual([{ code: "24" }, { code: "72" }]);
      expect(result.cancellations[0]?.decisions).toMatchObject([
        { restore: false, reasonCode: "24", reasonLabel: "Out of Stock", reasonOrigin: "spec", rule: "smart.do_not_restore" },
        { restore: true, reasonCode: "72", reasonOrigin: "spec", rule: "smart.restore" },
      ]);
    }
    // A number that is not a whole one is refused saying what is taken, not "expected string".
    for (const code of [1.5, 2 ** 60]) {
      const odd = { ...cancellation, lines: [{ lineId: "A1", sku: "A1", quantity: 1, reason: { code } }] };
      expect(() => numericEngine.evaluate({ marketplace: "numeric", mode: "smart", cancellation: odd })).toThrowError(
        expect.objectContaining({ path: "lines[0].reason.code", message: expect.stringContaining("must be text, or a whole number") }),
      );
    }
  });

  // What the runtime took, the types refused: `cancellation` was typed as a `Cancellation` (code:
  // string), so a TypeScript host passing Newegg's { code: 24 } failed to compile, and the schema the
  // changeset names, CanonicalCancellationInput, was not exported. (The test above casts its input.)
  it("types a host's canonical cancellation with a numeric reason code, and exports its schema", () => {
    const numeric = defineAdapter({
      id: "numeric",
      displayName: "Numeric codes",
      contractVersion: 1,
      reasons: [{ code: "24", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" }],
      parse: () => ({ cancellations: [], ignored: [] }),
    });
    const cancellation: CanonicalCancellationInput = {
      marketplace: "numeric",
      orderId: "41473642",
      occurredAt: null,
      lines: [{ lineId: "A1", sku: "A1", quantity: 1, reason: { code: 24 }, reasonParts: [{ reason: { code: 24 }, quantity: 1 }] }],
    };
    const result = createEngine({ adapters: [numeric] }).evaluate({ marketplace: "numeric", mode: "smart", cancellation });
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ restore: false, reasonCode: "24", rule: "smart.do_not_restore" });
    expect(CanonicalCancellationInput.parse(cancellation).lines[0]?.reason).toEqual({ code: "24" });
    // A Cancellation (what adapters hand on) is still taken as it is.
    const handedOn: Cancellation = result.cancellations[0]!.cancellation;
    expect(
      createEngine({ adapters: [numeric] }).evaluate({ marketplace: "numeric", mode: "smart", cancellation: handedOn }).cancellations,
    ).toHaveLength(1);
  });

  // Only a host's canonical cancellation is read that way: an adapter hands on text, as the ledger's
  // checks take nothing else. Were the kit's schema to take a number, an adapter returning one would
  // pass the kit and have every cancellation refused live.
  it("still refuses a numeric reason code an adapter hands on, in the kit's schema and live", () => {
    const handsOnNumber = defineAdapter({
      id: "hands-on-number",
      displayName: "Hands on a number",
      contractVersion: 1,
      reasons: [{ code: "24", label: "Out of Stock", outcome: "do_not_restore", origin: "spec" }],
      parse: () =>
        ({
          cancellations: [
            {
              marketplace: "hands-on-number",
              orderId: "1",
              occurredAt: null,
              lines: [{ lineId: "A1", sku: "A1", quantity: 1, reason: { code: 24 } }],
            },
          ],
          ignored: [],
        }) as unknown as ParseResult,
    });
    const checked = ParseResult.safeParse(handsOnNumber.parse({}));
    expect(checked.success ? [] : checked.error.issues.map((issue) => issue.path.join("."))).toEqual([
      "cancellations.0.lines.0.reason.code",
    ]);
    for (const checkOutput of ["ledger", "schema"] as const) {
      const live = createEngine({ adapters: [handsOnNumber], checkOutput });
      expect(() => live.evaluate({ marketplace: "hands-on-number", mode: "smart", payload: {} })).toThrow(AdapterError);
    }
    // The ledger check named the reason, which has a code, as "expected null or { code }": it names
    // the code and says what to hand on, as the kit's schema check names the code's path.
    const live = createEngine({ adapters: [handsOnNumber] });
    expect(() => live.evaluate({ marketplace: "hands-on-number", mode: "smart", payload: {} })).toThrow(
      "adapter hands-on-number: returned an invalid result at cancellations.0.lines.0.reason.code: expected text, not the number 24 (hand a numeric code on as String(code))",
    );
  });

  it("hands a payload whose lines carry no reason key to the adapter, not the canonical path", () => {
    const fallbackEngine = createEngine({ adapters: [], fallback: noReason });
    const result = fallbackEngine.evaluate({
      marketplace: "etsy",
      mode: "smart",
      payload: { marketplace: "etsy", orderId: "E-1", lines: [{ sku: "S", quantity: 1 }] },
    });
    expect(result.adapterId).toBe("no-reason");
    expect(result.cancellations[0]?.cancellation.orderId).toBe("X");
  });

  it("rejects an invalid canonical cancellation with the field's path", () => {
    expect(() =>
      engine.evaluate({
        marketplace: "example",
        mode: "smart",
        payload: {
          marketplace: "example",
          orderId: "H-3",
          occurredAt: null,
          lines: [{ lineId: "L1", sku: "MUG", quantity: 0, reason: null }],
        },
      }),
    ).toThrowError(/lines\[0\]\.quantity/);
  });

  // "An ISO-8601 time or null", as the README says: "not a date at all" and a 13th month were taken.
  it("refuses a canonical cancellation whose occurredAt is not an ISO-8601 time with a zone, naming the field", () => {
    const canonical = (occurredAt: string | null) => ({
      marketplace: "example",
      orderId: "H-4",
      occurredAt,
      lines: [{ lineId: "L1", sku: "MUG", quantity: 1, reason: null }],
    });
    for (const occurredAt of ["not a date at all", "2026-13-45T99:00:00Z", "2026-03-06T15:00:00", "2026-03-06"]) {
      expect(() => engine.parse("example", canonical(occurredAt)), occurredAt).toThrow(/^occurredAt: must be an ISO-8601 time with a zone/);
    }
    for (const occurredAt of ["2026-03-06T15:00:00Z", "2026-03-06T16:00:00.250+01:00", null]) {
      expect(engine.parse("example", canonical(occurredAt)).cancellations[0]?.occurredAt).toBe(occurredAt);
    }
  });

  it("falls back to the no-reason adapter for a marketplace without one, under that marketplace's name", () => {
    const result = engine.evaluate({ marketplace: "etsy", mode: "smart", payload: {} });
    expect(result.adapterId).toBe("no-reason");
    expect(result.cancellations[0]?.cancellation.marketplace).toBe("etsy");
    expect(result.cancellations[0]?.decisions[0]).toMatchObject({ restore: true, rule: "smart.no_reason", reasonOrigin: "none" });
  });

  it("names a marketplace the fallback serves on new objects: a fallback's frozen result is not changed", () => {
    const frozen = Object.freeze({
      cancellations: Object.freeze([
        Object.freeze({
          marketplace: "no-reason",
          orderId: "X",
          occurredAt: null,
          lines: [{ lineId: "1", sku: "S", quantity: 1, reason: null }],
        }),
      ]),
      ignored: Object.freeze([]),
    });
    const fallback = defineAdapter({
      id: "no-reason",
      displayName: "No reason",
      contractVersion: 1,
      reasons: [],
      parse: () => frozen as never,
    });
    const result = createEngine({ adapters: [], fallback }).evaluate({ marketplace: "etsy", mode: "smart", payload: {} });
    expect(result.cancellations[0]?.cancellation.marketplace).toBe("etsy");
    expect(frozen.cancellations[0]?.marketplace).toBe("no-reason");
  });

  it("names the field of a malformed payload", () => {
    try {
      engine.evaluate({ marketplace: "example", mode: "smart", payload: '{"order":{"id":5}}' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PayloadError);
      expect((error as PayloadError).path).toBe("order.id");
      expect((error as Error).message).toMatch(/^order\.id: /);
    }
  });

  it("reports a body that is not JSON", () => {
    expect(() => engine.evaluate({ marketplace: "example", mode: "smart", payload: "{nope" })).toThrowError(/body is not valid JSON/);
  });

  it("throws UnknownMarketplaceError without a fallback", () => {
    const bare = createEngine({ adapters: [exampleAdapter] });
    expect(bare.adapterFor("etsy")).toBeUndefined();
    expect(() => bare.evaluate({ marketplace: "etsy", mode: "smart", payload: {} })).toThrow(UnknownMarketplaceError);
  });

  it("refuses two adapters with one id", () => {
    expect(() => createEngine({ adapters: [exampleAdapter, exampleAdapter] })).toThrow(/share the id/);
  });
});

describe("adapters that break the contract", () => {
  it("wraps a non-PayloadError exception in AdapterError", () => {
    const broken = defineAdapter({
      id: "broken",
      displayName: "Broken",
      contractVersion: 1,
      reasons: [],
      parse: () => {
        throw new TypeError("cannot read properties of undefined");
      },
    });
    const engine = createEngine({ adapters: [broken] });
    expect(() => engine.evaluate({ marketplace: "broken", mode: "smart", payload: {} })).toThrow(AdapterError);
  });

  it("rejects an adapter result with a zero quantity", () => {
    const sloppy = defineAdapter({
      id: "sloppy",
      displayName: "Sloppy",
      contractVersion: 1,
      reasons: [],
      parse: () => ({
        cancellations: [
          { marketplace: "sloppy", orderId: "1", occurredAt: null, lines: [{ lineId: "1", sku: "S", quantity: 0, reason: null }] },
        ],
        ignored: [],
      }),
    });
    const engine = createEngine({ adapters: [sloppy] });
    expect(() => engine.evaluate({ marketplace: "sloppy", mode: "smart", payload: {} })).toThrow(
      /invalid result at cancellations\.0\.lines\.0\.quantity/,
    );
    const strict = createEngine({ adapters: [sloppy], checkOutput: "schema" });
    expect(() => strict.evaluate({ marketplace: "sloppy", mode: "smart", payload: {} })).toThrow(
      /invalid result at cancellations\.0\.lines\.0\.quantity/,
    );
  });

  const valid = {
    marketplace: "broken-output",
    orderId: "1",
    occurredAt: null,
    lines: [{ lineId: "1", sku: "S", quantity: 1, reason: null }],
  };
  it.each([
    ["a missing order id", { orderId: "" }, /cancellations\.0\.orderId/],
    ["a fractional quantity", { lines: [{ lineId: "1", sku: "S", quantity: 1.5, reason: null }] }, /lines\.0\.quantity/],
    [
      "a quantity above the ordered one",
      { lines: [{ lineId: "1", sku: "S", quantity: 3, orderedQuantity: 2, reason: null }] },
      /orderedQuantity/,
    ],
    ["an empty SKU", { lines: [{ lineId: "1", sku: "", quantity: 1, reason: null }] }, /lines\.0\.sku/],
    ["a reason without a code", { lines: [{ lineId: "1", sku: "S", quantity: 1, reason: { label: "x" } }] }, /lines\.0\.reason/],
    ["no lines", { lines: [] }, /cancellations\.0\.lines/],
    [
      "more units than a line can hold",
      { lines: [{ lineId: "1", sku: "S", quantity: MAX_UNITS + 1, reason: null }] },
      /lines\.0\.quantity: expected a positive whole number up to 1000000000/,
    ],
    ["a SKU of 257 characters", { lines: [{ lineId: "1", sku: "é".repeat(257), quantity: 1, reason: null }] }, /lines\.0\.sku/],
  ])("refuses an adapter result with %s before it reaches a ledger", (_name, patch, message) => {
    const broken = defineAdapter({
      id: "broken-output",
      displayName: "Broken output",
      contractVersion: 1,
      reasons: [],
      parse: () => ({ cancellations: [{ ...valid, ...patch }], ignored: [] }) as never,
    });
    const engine = createEngine({ adapters: [broken] });
    expect(() => engine.evaluate({ marketplace: "broken-output", mode: "smart", payload: {} })).toThrow(message);
  });

  it("counts an id's length as zod's max() does (code points), so what an adapter's schema accepts is never refused here", () => {
    const emoji = "😀".repeat(256); // 256 code points, 512 UTF-16 units
    const adapter = defineAdapter({
      id: "emoji",
      displayName: "Emoji",
      contractVersion: 1,
      reasons: [],
      parse: () => ({
        cancellations: [
          {
            ...valid,
            marketplace: "emoji",
            orderId: emoji,
            lines: [{ lineId: "1", sku: emoji, quantity: MAX_UNITS, reason: { code: emoji } }],
          },
        ],
        ignored: [],
      }),
    });
    expect(Cancellation.shape.orderId.safeParse(emoji).success).toBe(true);
    const engine = createEngine({ adapters: [adapter] });
    expect(engine.parse("emoji", {}).cancellations[0]?.lines[0]?.sku).toBe(emoji);
    expect(createEngine({ adapters: [adapter], checkOutput: "schema" }).parse("emoji", {}).cancellations).toHaveLength(1);
  });

  it("refuses ignored events without a kind, and a result that is not an object", () => {
    const noKind = defineAdapter({
      id: "no-kind",
      displayName: "No kind",
      contractVersion: 1,
      reasons: [],
      parse: () => ({ cancellations: [], ignored: [{ reason: "not_a_cancellation" }] }) as never,
    });
    const nothing = defineAdapter({ id: "nothing", displayName: "Nothing", contractVersion: 1, reasons: [], parse: () => null as never });
    const engine = createEngine({ adapters: [noKind, nothing] });
    expect(() => engine.evaluate({ marketplace: "no-kind", mode: "smart", payload: {} })).toThrow(/ignored\.0/);
    expect(() => engine.evaluate({ marketplace: "nothing", mode: "smart", payload: {} })).toThrow(/expected an object/);
  });
});

describe("adapter results the ledger cannot take", () => {
  const line = (lineId: string, reason: string) => ({ lineId, sku: `SKU-${lineId}`, quantity: 1, reason: { code: reason } });
  const returning = (id: string, result: unknown) =>
    defineAdapter({ id, displayName: id, contractVersion: 1, reasons: [], parse: () => result as never });

  for (const checkOutput of ["ledger", "schema"] as const) {
    it(`refuses one line id twice in a cancellation (${checkOutput} check): the second line's units would be lost`, () => {
      const parts = returning("parts", {
        cancellations: [{ marketplace: "parts", orderId: "O1", occurredAt: null, lines: [line("L1", "OOS"), line("L1", "BUYER")] }],
        ignored: [],
      });
      const engine = createEngine({ adapters: [parts], checkOutput });
      expect(() => engine.parse("parts", {})).toThrow(AdapterError);
      expect(() => engine.parse("parts", {})).toThrow(/lines\.1\.lineId/);
    });

    it(`refuses a cancellation under another marketplace's name, and an ignore reason the contract does not name (${checkOutput} check)`, () => {
      const elsewhere = returning("elsewhere", {
        cancellations: [{ marketplace: "someone-else", orderId: "O1", occurredAt: null, lines: [line("L1", "X")] }],
        ignored: [],
      });
      const madeUp = returning("made-up", { cancellations: [], ignored: [{ kind: "x", reason: "made_up_reason" }] });
      const engine = createEngine({ adapters: [elsewhere, madeUp], checkOutput });
      expect(() => engine.parse("elsewhere", {})).toThrow(/cancellations\.0\.marketplace/);
      expect(() => engine.parse("made-up", {})).toThrow(/ignored\.0/);
    });
  }

  it("finds a repeated line id among many lines", () => {
    const lines = Array.from({ length: 40 }, (_, n) => line(`L${n}`, "X"));
    lines.push(line("L7", "Y"));
    const many = returning("many", { cancellations: [{ marketplace: "many", orderId: "O1", occurredAt: null, lines }], ignored: [] });
    expect(() => createEngine({ adapters: [many] }).parse("many", {})).toThrow(/lines\.40\.lineId: "L7" appears twice/);
  });

  it("refuses a canonical cancellation of another marketplace, which would be decided with this one's table", () => {
    const engine = createEngine({ adapters: [exampleAdapter], fallback: noReason });
    const canonical = {
      marketplace: "amazon",
      orderId: "A-1",
      occurredAt: null,
      lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }],
    };
    expect(() => engine.parse("example", canonical)).toThrow(PayloadError);
    expect(() => engine.parse("example", canonical)).toThrow('marketplace: is "amazon", expected "example"');
    expect(engine.parse("amazon", canonical).cancellations[0]?.marketplace).toBe("amazon");
    // Handed over already parsed, as a cancellation: the same check.
    expect(() => engine.evaluate({ marketplace: "example", mode: "smart", cancellation: canonical })).toThrow(
      'marketplace: is "amazon", expected "example"',
    );
  });

  it("refuses, when created, an adapter or fallback of another contract version (built against another core)", () => {
    const foreign = { ...exampleAdapter, contractVersion: 2 } as unknown as typeof exampleAdapter;
    expect(() => createEngine({ adapters: [foreign] })).toThrow("adapter example implements contract version 2, this core implements 1");
    expect(() => createEngine({ adapters: [], fallback: { ...noReason, contractVersion: 2 } as unknown as typeof noReason })).toThrow(
      AdapterDefinitionError,
    );
  });
});

describe("defineAdapter", () => {
  const base = { id: "x", displayName: "X", contractVersion: 1 as const, reasons: [], parse: () => ({ cancellations: [], ignored: [] }) };

  it("refuses another contract version, naming both", () => {
    expect(() => defineAdapter({ ...base, contractVersion: 2 as unknown as 1 })).toThrowError(
      "adapter x implements contract version 2, this core implements 1",
    );
  });

  // A host catching definition errors at start-up (as it does a wrong contract version) missed this one: a plain Error.
  it("createEngine refuses two adapters with one id as a definition error", () => {
    const adapter = defineAdapter(base);
    expect(() => createEngine({ adapters: [adapter, adapter] })).toThrowError(new AdapterDefinitionError('two adapters share the id "x"'));
    expect(() => createEngine({ adapters: [adapter, adapter] })).toThrow(AdapterDefinitionError);
  });

  it("refuses two codes of different outcomes with one normalized key, and a code twice", () => {
    expect(() =>
      defineAdapter({
        ...base,
        reasons: [
          { code: "OUT_OF_STOCK", label: "A", outcome: "do_not_restore", origin: "spec" },
          { code: "OutOfStock", label: "B", outcome: "restore", origin: "spec" },
        ],
      }),
    ).toThrowError(
      new AdapterDefinitionError(
        'adapter x: reason codes "OUT_OF_STOCK" (do_not_restore) and "OutOfStock" (restore) share the normalized key "outofstock": ' +
          "a spelling of either matches the first; give them one outcome, or drop one",
      ),
    );
    const row = { code: "OUT_OF_STOCK", label: "A", outcome: "do_not_restore", origin: "spec" } as const;
    expect(() => defineAdapter({ ...base, reasons: [row, { ...row, label: "B" }] })).toThrowError(
      'adapter x: reason code "OUT_OF_STOCK" appears twice',
    );
  });

  // Rule book §2: codes match exactly first, then by normalized key. Wish lists `1` (Unable to Ship)
  // and `-1` (Other): one key, two reasons. Refused, `-1` could not be a row, and a cancellation
  // saying "-1" was recorded as Unable to Ship, origin spec.
  it("takes two codes of one outcome sharing a normalized key: each matches its own row exactly, other spellings the first", () => {
    const wishLike = defineAdapter({
      ...base,
      reasons: [
        { code: "1", label: "Unable to Ship", outcome: "ambiguous", origin: "spec" },
        { code: "-1", label: "Other", outcome: "ambiguous", origin: "extended" },
      ],
    });
    expect(classifyReason(wishLike.reasons, "-1")).toMatchObject({ reasonLabel: "Other", reasonOrigin: "extended", outcome: "ambiguous" });
    expect(classifyReason(wishLike.reasons, "1")).toMatchObject({ reasonLabel: "Unable to Ship", reasonOrigin: "spec" });
    expect(classifyReason(wishLike.reasons, 1)).toMatchObject({ reasonLabel: "Unable to Ship", reasonOrigin: "spec" });
    expect(classifyReason(wishLike.reasons, " 1 ")).toMatchObject({ reasonLabel: "Unable to Ship", outcome: "ambiguous" });
  });

  it("matches codes without a-z or 0-9 exactly only: their normalized key is empty, and must not match every such code", () => {
    const japanese = defineAdapter({
      ...base,
      reasons: [
        { code: "在庫切れ", label: "Out of stock", outcome: "do_not_restore", origin: "spec" },
        { code: "お客様都合", label: "Buyer's convenience", outcome: "restore", origin: "spec" },
      ],
    });
    expect(classifyReason(japanese.reasons, "在庫切れ")).toMatchObject({ reasonOrigin: "spec", outcome: "do_not_restore" });
    expect(classifyReason(japanese.reasons, "お客様都合")).toMatchObject({ reasonOrigin: "spec", outcome: "restore" });
    expect(classifyReason(japanese.reasons, "配送遅延")).toMatchObject({ reasonOrigin: "unknown", outcome: "ambiguous" });
    expect(classifyReason(japanese.reasons, "--")).toMatchObject({ reasonOrigin: "unknown" });
    // Matched exactly only, one such code twice would leave the second row dead.
    const twice = { code: "在庫切れ", label: "Again", outcome: "restore", origin: "extended" } as const;
    expect(() => defineAdapter({ ...base, reasons: [...japanese.reasons, twice] })).toThrowError(
      'adapter x: reason code "在庫切れ" appears twice',
    );
    expect(() => defineAdapter({ ...base, reasons: [{ code: "  ", label: "Blank", outcome: "restore", origin: "spec" }] })).toThrowError(
      "adapter x: reasons.0.code: must not be blank",
    );
  });

  it("refuses a format list that would refuse every delivery, and a misspelt capability; lists each format once", () => {
    expect(() => defineAdapter({ ...base, capabilities: { formats: [] } })).toThrow(/capabilities\.formats: must name at least one format/);
    expect(() => defineAdapter({ ...base, capabilities: { format: ["xml"] } as never })).toThrow(/capabilities/);
    expect(defineAdapter({ ...base, capabilities: { formats: ["xml", "json", "xml"] } }).capabilities.formats).toEqual(["xml", "json"]);
  });

  it("names the definition as a whole when it is not an object", () => {
    expect(() => defineAdapter(null as never)).toThrowError(/^adapter \(unnamed\): \(the definition\): /);
  });

  it("refuses a bad id", () => {
    expect(() => defineAdapter({ ...base, id: "Bad Id" })).toThrow(/id: must be lower-case/);
  });

  it("freezes the reason table and derives capabilities", () => {
    const adapter = defineAdapter({ ...base, verifyWebhook: () => true });
    expect(Object.isFrozen(adapter.reasons)).toBe(true);
    expect(adapter.capabilities).toEqual({ webhookAuth: "signature", formats: ["json"] });
    expect(adapter.version).toBe("0.0.0");
    expect(adapter.checkWebhookSecret).toBeUndefined();
  });

  it("refuses an async verifyWebhook: the worker takes its Promise as a refusal, of every delivery", () => {
    expect(() => defineAdapter({ ...base, verifyWebhook: (async () => false) as never })).toThrowError(
      "adapter x: verifyWebhook: must return true or false synchronously, not a Promise",
    );
    expect(() => defineAdapter({ ...base, verifyWebhook: (async () => false) as never })).toThrow(AdapterDefinitionError);
    // A method written `async` too; a plain function returning a boolean is taken.
    expect(() =>
      defineAdapter({
        ...base,
        async verifyWebhook() {
          return true;
        },
      } as never),
    ).toThrow(/verifyWebhook: must return true or false synchronously/);
    expect(defineAdapter({ ...base, verifyWebhook: () => false }).verifyWebhook).toBeTypeOf("function");
  });

  it("refuses an async checkWebhookSecret: hosts take its Promise as the reason every secret is refused", () => {
    expect(() => defineAdapter({ ...base, verifyWebhook: () => false, checkWebhookSecret: (async () => null) as never })).toThrowError(
      new AdapterDefinitionError(
        "adapter x: checkWebhookSecret: must return null or a reason synchronously, not a Promise (it is an async function: every secret would be refused)",
      ),
    );
    expect(defineAdapter({ ...base, verifyWebhook: () => false, checkWebhookSecret: () => null }).checkWebhookSecret).toBeTypeOf(
      "function",
    );
  });

  it("refuses a verifyWebhook declared with webhookAuth none (a marketplace that is only polled)", () => {
    expect(() => defineAdapter({ ...base, capabilities: { webhookAuth: "none" }, verifyWebhook: () => false })).toThrowError(
      'adapter x: capabilities.webhookAuth is "none" (the marketplace is only polled), but verifyWebhook is given',
    );
    expect(defineAdapter({ ...base, capabilities: { webhookAuth: "none" } }).capabilities.webhookAuth).toBe("none");
    expect(
      defineAdapter({ ...base, capabilities: { webhookAuth: "shared-secret" }, verifyWebhook: () => false }).capabilities.webhookAuth,
    ).toBe("shared-secret");
  });

  it("refuses an async parse; a parse compiled down from async is an AdapterError saying it returned a Promise", () => {
    expect(() => defineAdapter({ ...base, parse: (async () => ({ cancellations: [], ignored: [] })) as never })).toThrowError(
      new AdapterDefinitionError(
        "adapter x: parse: must return its result synchronously, not a Promise (it is an async function: every payload would be refused)",
      ),
    );
    // Before: "returned an invalid result at cancellations: expected an array", and nothing said why.
    const compiled = defineAdapter({ ...base, parse: (() => Promise.resolve({ cancellations: [], ignored: [] })) as never });
    const engine = createEngine({ adapters: [compiled] });
    expect(() => engine.evaluate({ marketplace: "x", mode: "smart", payload: "{}" })).toThrowError(
      new AdapterError("x", "parse returned a Promise: it must return its result synchronously"),
    );
  });

  it("refuses webhookAuth signature or basic-auth without a verifyWebhook to check it", () => {
    for (const webhookAuth of ["signature", "basic-auth"] as const) {
      expect(() => defineAdapter({ ...base, capabilities: { webhookAuth } })).toThrowError(
        `adapter x: capabilities.webhookAuth is "${webhookAuth}", but no verifyWebhook checks it`,
      );
    }
    expect(defineAdapter({ ...base, capabilities: { webhookAuth: "shared-secret" } }).capabilities.webhookAuth).toBe("shared-secret");
  });

  it("keeps an adapter's secret check, and refuses one that is not a function", () => {
    const checkWebhookSecret = (secret: string) => (secret.startsWith("key:") ? null : 'must start with "key:"');
    const adapter = defineAdapter({ ...base, verifyWebhook: () => true, checkWebhookSecret });
    expect(adapter.checkWebhookSecret?.("plain")).toBe('must start with "key:"');
    expect(adapter.checkWebhookSecret?.("key:1")).toBeNull();
    expect(() => defineAdapter({ ...base, checkWebhookSecret: "key:" as never })).toThrow(/checkWebhookSecret: must be a function/);
  });
});

describe("canonical cancellations and raw bodies: what input can break", () => {
  const engine = createEngine({ adapters: [exampleAdapter], fallback: noReason });
  const canonical = (lines: unknown[]) => ({ marketplace: "example", orderId: "C-1", occurredAt: null, lines });
  const line = (lineId: string, sku: string, quantity: number) => ({ lineId, sku, quantity, reason: null });

  it("refuses one lineId twice, naming the second (the ledger would drop its units)", () => {
    const twice = canonical([line("1", "DUP-A", 2), line("1", "DUP-B", 2)]);
    expect(() => engine.parse("example", twice)).toThrow(PayloadError);
    try {
      engine.parse("example", twice);
    } catch (error) {
      expect(error).toMatchObject({ path: "lines[1].lineId", message: expect.stringContaining(`lineId "1" appears twice`) });
    }
    expect(engine.parse("example", canonical([line("1", "A", 2), line("2", "B", 2)])).cancellations[0]?.lines).toHaveLength(2);
  });

  it("refuses more units than a line can hold, in canonical cancellations and in the adapters' count fields", () => {
    expect(() => engine.parse("example", canonical([line("1", "A", MAX_UNITS + 1)]))).toThrow(/lines\[0\]\.quantity: Too big/);
    expect(engine.parse("example", canonical([line("1", "A", MAX_UNITS)])).cancellations).toHaveLength(1);
    expect(Count.safeParse(MAX_UNITS).success).toBe(true);
    expect(Count.safeParse(MAX_UNITS + 1).success).toBe(false);
    expect(UnitCount.safeParse(String(MAX_UNITS)).success).toBe(true);
    expect(UnitCount.safeParse("9007199254740991").success).toBe(false);
  });

  it("names a bad unit count briefly: a deeply nested one by its kind (a recursive JSON.stringify overflowed the stack), a long one cut whole", () => {
    let nested: unknown = [];
    for (let i = 0; i < 20_000; i++) nested = [nested];
    const issue = (value: unknown) => UnitCount.safeParse(value).error?.issues[0]?.message;
    expect(issue(nested)).toBe(`must be a whole number of units (0 to ${MAX_UNITS}), got an array`);
    expect(issue({ n: 1 })).toMatch(/got an object$/);
    // 39 characters of JSON, then an emoji: cut before its second half, not between the two.
    expect(issue(`${"x".repeat(38)}\u{1F600}`)).toBe(`must be a whole number of units (0 to ${MAX_UNITS}), got "${"x".repeat(38)}…`);
  });

  it("refuses ids and SKUs that are not well-formed text or hold NUL: stored, they would become another id", () => {
    for (const sku of ["LONE\udc80", "LONE\ud800", "A\u0000B"]) {
      expect(() => engine.parse("example", canonical([line("1", sku, 1)])), JSON.stringify(sku)).toThrow(
        /lines\[0\]\.sku: must be well-formed text/,
      );
      expect(Sku.safeParse(sku).success).toBe(false);
      expect(Id.safeParse(sku).success).toBe(false);
    }
    expect(() => engine.parse("example", { ...canonical([line("1", "MUG", 1)]), orderId: "O\u0000" })).toThrow(/orderId/);
    // A pair is fine: 😀 is "\ud83d\ude00".
    expect(engine.parse("example", canonical([line("1", "MUG-\ud83d\ude00", 1)])).cancellations[0]?.lines[0]?.sku).toBe("MUG-😀");
    const loose = defineAdapter({
      id: "loose",
      displayName: "Loose",
      contractVersion: 1,
      reasons: [],
      parse: () => ({
        cancellations: [{ marketplace: "loose", orderId: "1", occurredAt: null, lines: [line("1", "LONE\udc81", 1)] }],
        ignored: [],
      }),
    });
    expect(() => createEngine({ adapters: [loose] }).parse("loose", {})).toThrow(/invalid result at cancellations\.0\.lines\.0\.sku/);
  });

  it("refuses bytes that are not UTF-8 instead of reading them as U+FFFD", () => {
    const latin1 = Buffer.from('{"sku":"CAF\xc9-MUG"}', "latin1");
    expect(() => readJson(latin1)).toThrow(new PayloadError("body is not valid UTF-8 text"));
    expect(readJson(Buffer.from('\ufeff{"sku":"CAFÉ-MUG"}', "utf8"))).toEqual({ sku: "CAFÉ-MUG" });
  });

  // A host that decoded the body itself passes text: its byte-order mark made JSON.parse fail, where
  // the same body as bytes parsed (the decoder drops the mark).
  it("drops a leading byte-order mark from text as from bytes", () => {
    expect(readJson('\ufeff{"sku":"CAFÉ-MUG"}')).toEqual({ sku: "CAFÉ-MUG" });
    expect(rawText("\ufeff<Order/>")).toBe("<Order/>");
    expect(rawText("MUG\ufeff")).toBe("MUG\ufeff");
  });
});
