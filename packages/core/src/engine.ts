import { hasBrand, setBrand } from "./brand.js";
import { classifyReason } from "./classify-reason.js";
import { checkMode, decide } from "./decide.js";
import { type Adapter, AdapterDefinitionError, CONTRACT_VERSION } from "./define-adapter.js";
import { Timestamp } from "./fields.js";
import { ledgerInvariantProblem } from "./ledger-invariants.js";
import { isPayloadError, PayloadError } from "./payload-error.js";
import {
  type Cancellation,
  CanonicalCancellationInput,
  type IgnoredEvent,
  ParseResult,
  type Reason,
  type ReasonPart,
} from "./schemas/cancellation.js";
import type { LineDecision, PartDecision } from "./schemas/decision.js";
import type { RestorationMode } from "./schemas/mode.js";
import type { ReasonTable } from "./schemas/reason-table.js";
import { isThenable } from "./thenable.js";
import { previewValue } from "./value-preview.js";

export interface EngineOptions {
  adapters: readonly Adapter[];
  /** Used for any marketplace without an adapter of its own: normally `@restock/adapter-no-reason`. */
  fallback?: Adapter;
  /**
   * How adapter results are checked before they reach a ledger: `ledger` (default) checks the
   * ids and quantities the exactly-once arithmetic relies on, in a plain loop; `schema` validates
   * the whole `ParseResult` zod schema (string limits included) at several times the cost.
   */
  checkOutput?: "ledger" | "schema";
}

export interface EvaluatedCancellation {
  cancellation: Cancellation;
  decisions: LineDecision[];
}

export interface Evaluation {
  adapterId: string;
  adapterVersion: string;
  cancellations: EvaluatedCancellation[];
  ignored: IgnoredEvent[];
}

export type EvaluateInput =
  | { marketplace: string; mode: RestorationMode; payload: unknown }
  /** A canonical cancellation the host built: a reason code may be a whole number, read as its digits. */
  | { marketplace: string; mode: RestorationMode; cancellation: CanonicalCancellationInput };

const ADAPTER_ERROR = Symbol.for("restock.AdapterError");
const UNKNOWN_MARKETPLACE_ERROR = Symbol.for("restock.UnknownMarketplaceError");

/**
 * An adapter broke its contract: it threw something other than PayloadError or returned invalid output.
 * `instanceof` holds across core's ESM and CJS builds (a `Symbol.for` brand), as for PayloadError.
 */
export class AdapterError extends Error {
  override readonly name = "AdapterError";

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the right-hand side, a subclass when inherited
    return hasBrand(this, ADAPTER_ERROR, value);
  }

  constructor(
    readonly adapterId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`adapter ${adapterId}: ${message}`, options);
  }
}
setBrand(AdapterError, ADAPTER_ERROR);

/** No adapter for the marketplace and no fallback. `instanceof` holds across core's builds, as for AdapterError. */
export class UnknownMarketplaceError extends Error {
  override readonly name = "UnknownMarketplaceError";

  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the right-hand side, a subclass when inherited
    return hasBrand(this, UNKNOWN_MARKETPLACE_ERROR, value);
  }

  constructor(readonly marketplace: string) {
    super(`no adapter for marketplace "${marketplace}" and no fallback adapter configured`);
  }
}
setBrand(UnknownMarketplaceError, UNKNOWN_MARKETPLACE_ERROR);

/**
 * Whether a parsed value is meant as a canonical cancellation (it may still be invalid): an order
 * id, a marketplace, and lines that each carry a `lineId` and a `reason` key (null for none).
 * The `reason` key is what tells it apart from a no-reason channel's payload, whose lines have none.
 */
export function isCanonicalCancellation(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.orderId !== "string" || !("marketplace" in record) || !Array.isArray(record.lines)) return false;
  return (
    record.lines.length > 0 &&
    record.lines.every((line) => typeof line === "object" && line !== null && "lineId" in line && "reason" in line)
  );
}

export interface Engine {
  readonly adapters: ReadonlyMap<string, Adapter>;
  /** The adapter for a marketplace, or the fallback; undefined when there is neither. */
  adapterFor(marketplace: string): Adapter | undefined;
  /** Parses a raw payload (or validates a canonical cancellation) without deciding. */
  parse(marketplace: string, payload: unknown): ParseResult & { adapter: Adapter };
  /** Decides every line of a canonical cancellation with the marketplace's reason table. */
  decideCancellation(marketplace: string, cancellation: Cancellation, mode: RestorationMode): LineDecision[];
  evaluate(input: EvaluateInput): Evaluation;
}

const ENGINE_OPTIONS: ReadonlySet<string> = new Set(["adapters", "fallback", "checkOutput"]);

/**
 * Plain JavaScript callers get the field named: `createEngine({})` said "options.adapters is not
 * iterable", `{ adapters: [{}] }` "adapter undefined implements contract version undefined", and a
 * misspelt `fallbak` was dropped, leaving marketplaces without an adapter refused.
 */
function checkEngineOptions(options: unknown): { adapters: Adapter[]; fallback: Adapter | undefined; checkOutput: "ledger" | "schema" } {
  if (options === null || typeof options !== "object") throw new TypeError("createEngine: expected { adapters, fallback?, checkOutput? }");
  const record = options as Record<string, unknown>;
  const unknownKey = Object.keys(record).find((key) => !ENGINE_OPTIONS.has(key));
  if (unknownKey !== undefined) {
    throw new TypeError(`createEngine: unknown option "${unknownKey}" (the options are adapters, fallback and checkOutput)`);
  }
  const given = record.adapters;
  if (given === null || typeof given !== "object" || typeof (given as Iterable<unknown>)[Symbol.iterator] !== "function") {
    throw new TypeError("createEngine: adapters: expected an array of adapters (defineAdapter's)");
  }
  // Any iterable (a Set) is taken, as it always was.
  const adapters = [...(given as Iterable<unknown>)];
  const isAdapter = (value: unknown): value is Adapter =>
    value !== null &&
    typeof value === "object" &&
    typeof (value as Adapter).id === "string" &&
    typeof (value as Adapter).parse === "function";
  const bad = adapters.findIndex((adapter) => !isAdapter(adapter));
  if (bad !== -1) {
    throw new TypeError(`createEngine: adapters.${bad}: expected an adapter (defineAdapter's), got ${previewValue(adapters[bad])}`);
  }
  const fallback = record.fallback ?? undefined;
  if (fallback !== undefined && !isAdapter(fallback)) {
    throw new TypeError(`createEngine: fallback: expected an adapter (defineAdapter's), got ${previewValue(fallback)}`);
  }
  const checkOutput = record.checkOutput ?? "ledger";
  if (checkOutput !== "ledger" && checkOutput !== "schema") {
    throw new TypeError(`createEngine: checkOutput: expected "ledger" or "schema", got ${previewValue(checkOutput)}`);
  }
  return { adapters: adapters as Adapter[], fallback, checkOutput };
}

export function createEngine(options: EngineOptions): Engine {
  const checked = checkEngineOptions(options);
  const adapters = new Map<string, Adapter>();
  const { fallback, checkOutput } = checked;
  for (const adapter of [...checked.adapters, ...(fallback ? [fallback] : [])]) {
    // An adapter built against another core (a nested install, --legacy-peer-deps) speaks another contract.
    if (adapter.contractVersion !== CONTRACT_VERSION) {
      throw new AdapterDefinitionError(
        `adapter ${adapter.id} implements contract version ${adapter.contractVersion}, this core implements ${CONTRACT_VERSION}`,
      );
    }
  }
  for (const adapter of checked.adapters) {
    if (adapters.has(adapter.id)) throw new AdapterDefinitionError(`two adapters share the id "${adapter.id}"`);
    adapters.set(adapter.id, adapter);
  }

  function adapterFor(marketplace: string): Adapter | undefined {
    return adapters.get(marketplace) ?? fallback;
  }

  function requireAdapter(marketplace: string): Adapter {
    const adapter = adapterFor(marketplace);
    if (!adapter) throw new UnknownMarketplaceError(marketplace);
    return adapter;
  }

  function runAdapter(adapter: Adapter, marketplace: string, payload: unknown): ParseResult {
    let result: ParseResult;
    try {
      result = adapter.parse(payload);
    } catch (error) {
      if (isPayloadError(error)) throw error;
      throw new AdapterError(adapter.id, `parse threw ${(error as Error)?.name ?? typeof error}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
    // A parse compiled down from `async` (defineAdapter refuses only a native async function).
    if (isThenable(result)) {
      result.then(undefined, () => undefined);
      throw new AdapterError(adapter.id, "parse returned a Promise: it must return its result synchronously");
    }
    // Adapters can come from outside this repository: check what they hand to the ledger. The
    // fallback serves marketplaces other than its id: their name is set on its cancellations below.
    const servesOthers = adapter === fallback && !adapters.has(marketplace);
    const expected = servesOthers ? undefined : adapter.id;
    const problem = (checkOutput === "schema" ? schemaProblem(result) : undefined) ?? ledgerInvariantProblem(result, expected);
    if (problem !== undefined) throw new AdapterError(adapter.id, `returned an invalid result at ${problem}`);
    if (servesOthers) {
      // New objects: the fallback's own may be frozen, or shared between calls.
      return { ...result, cancellations: result.cancellations.map((cancellation) => ({ ...cancellation, marketplace })) };
    }
    return result;
  }

  function parse(marketplace: string, received: unknown): ParseResult & { adapter: Adapter } {
    const adapter = requireAdapter(marketplace);
    // What a Fetch-style server's `await request.arrayBuffer()` gives: its bytes, as adapters read
    // bytes. Handed on as it was, every adapter refused it as "not a <marketplace> payload" at path "".
    const payload = received instanceof ArrayBuffer ? new Uint8Array(received) : received;
    if (isCanonicalCancellation(payload)) return { adapter, cancellations: [parseCanonical(payload, marketplace)], ignored: [] };
    return { adapter, ...runAdapter(adapter, marketplace, payload) };
  }

  function decideCancellation(marketplace: string, cancellation: Cancellation, mode: RestorationMode): LineDecision[] {
    checkMode(mode);
    // What evaluate holds an adapter's result to: a Shopify cancellation decided as Amazon's was
    // looked up in Amazon's table (its do-not-restore reason restored as unknown), and a quantity
    // of -5 or "2" went into the decisions.
    const problem = ledgerInvariantProblem({ cancellations: [cancellation], ignored: [] }, marketplace);
    // The check names `cancellations.0…`: here it is the one cancellation given.
    if (problem !== undefined) throw new TypeError(problem.replace(/^cancellations\.0/, "cancellation"));
    return decideLines(marketplace, cancellation, mode);
  }

  /** decideCancellation with a mode already checked (evaluate checks it once, before the payload). */
  function decideLines(marketplace: string, cancellation: Cancellation, mode: RestorationMode): LineDecision[] {
    const table = requireAdapter(marketplace).reasons;
    return cancellation.lines.map((line) => {
      const { classification, verdict } = decideReason(table, mode, line.reason);
      const decision: LineDecision = {
        lineId: line.lineId,
        sku: line.sku,
        restore: verdict.restore,
        quantity: line.quantity,
        mode,
        outcome: verdict.outcome,
        rule: verdict.rule,
        reasonCode: classification.reasonCode,
        reasonLabel: classification.reasonLabel,
        reasonOrigin: classification.reasonOrigin,
        reasonDerived: line.reason?.derived === true,
      };
      if (line.reasonParts !== undefined) decision.parts = line.reasonParts.map((part) => decidePart(table, mode, part));
      return decision;
    });
  }

  function evaluate(input: EvaluateInput): Evaluation {
    if (input === null || typeof input !== "object") {
      throw new TypeError("evaluate: expected { marketplace, mode, payload } or { marketplace, mode, cancellation }");
    }
    const { marketplace, mode } = input;
    // Before the payload: a bad mode is the caller's, whatever the payload holds (ignored events too).
    checkMode(mode);
    const parsed =
      "cancellation" in input
        ? { adapter: requireAdapter(marketplace), cancellations: [parseCanonical(input.cancellation, marketplace)], ignored: [] }
        : parse(marketplace, input.payload);
    return {
      adapterId: parsed.adapter.id,
      adapterVersion: parsed.adapter.version,
      cancellations: parsed.cancellations.map((cancellation) => ({
        cancellation,
        decisions: decideLines(marketplace, cancellation, mode),
      })),
      ignored: parsed.ignored,
    };
  }

  return { adapters, adapterFor, parse, decideCancellation, evaluate };
}

function decideReason(table: ReasonTable, mode: RestorationMode, reason: Reason | null) {
  const classification = classifyReason(table, reason?.code, reason?.label);
  return { classification, verdict: decide(mode, classification) };
}

function decidePart(table: ReasonTable, mode: RestorationMode, part: ReasonPart): PartDecision {
  const { classification, verdict } = decideReason(table, mode, part.reason);
  return {
    quantity: part.quantity,
    restore: verdict.restore,
    outcome: verdict.outcome,
    rule: verdict.rule,
    reasonCode: classification.reasonCode,
    reasonLabel: classification.reasonLabel,
    reasonOrigin: classification.reasonOrigin,
    ...(part.reason?.derived === true ? { reasonDerived: true as const } : {}),
  };
}

function schemaProblem(result: unknown): string | undefined {
  const checked = ParseResult.safeParse(result);
  if (checked.success) return undefined;
  const issue = checked.error.issues[0];
  return `${issue?.path.join(".")}: ${issue?.message}`;
}

/** A canonical cancellation for `marketplace`: decided with that marketplace's table, one of another would be misread. */
function parseCanonical(value: unknown, marketplace: string): Cancellation {
  const result = CanonicalCancellationInput.safeParse(value);
  if (!result.success) throw PayloadError.fromZod(result.error);
  if (result.data.marketplace !== marketplace) {
    throw new PayloadError(`is "${result.data.marketplace}", expected "${marketplace}"`, "marketplace");
  }
  // What a host sends as its time is stored and shown as one: "not a date" and 2026-13-45 were taken.
  // The schema itself takes any text, as stored parses from before hold; adapters are held to this by the kit.
  const { occurredAt } = result.data;
  if (occurredAt !== null && !Timestamp.safeParse(occurredAt).success) {
    throw new PayloadError("must be an ISO-8601 time with a zone (2026-03-06T15:00:00Z, or +01:00) or null", "occurredAt");
  }
  return result.data;
}
