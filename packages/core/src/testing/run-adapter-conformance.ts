import { describe, expect, it, vi } from "vitest";
import { classifyReason, findReasonRow } from "../classify-reason.js";
import { decide } from "../decide.js";
import { type Adapter, CONTRACT_VERSION } from "../define-adapter.js";
import { normalizeKey } from "../normalize-key.js";
import { isPayloadError, type PayloadError } from "../payload-error.js";
import { rawText } from "../raw-body.js";
import type { CancelledLine, Reason } from "../schemas/cancellation.js";
import { isThenable } from "../thenable.js";
import { previewValue } from "../value-preview.js";
import { resultProblems } from "./check-result.js";
import { differences } from "./differences.js";
import { type Fixture, loadFixtures, orphanExpectations } from "./fixtures.js";
import { HOSTILE_VALUES, jsonPaths, withValueAt } from "./mutations.js";
import { watchIo } from "./watch-io.js";

export interface ConformanceOptions {
  adapter: Adapter;
  /** The adapter's `__fixtures__` folder: `<case>.json` / `<case>.xml`; `malformed-*` files must be rejected. */
  fixtures: string | URL;
  /**
   * Whether the marketplace sends reason codes. Only an adapter for channels that send none
   * (like `@restock/adapter-no-reason`) sets this to false.
   */
  reasonCodes?: boolean;
  /**
   * Test names to skip, with the reason in a comment next to the call: a check's title, or a
   * per-fixture test as `<group> › <fixture>` or the fixture's name alone. An entry that matches
   * no test fails the run (`skip names only tests of the kit`).
   */
  skip?: readonly string[];
}

const VALID_GROUP = "fixtures parse to valid cancellations or ignored events";
/**
 * A valid fixture whose name ends saying it records no cancellation (`open-order-not-cancelled`,
 * `order-paid-not-a-cancellation`, `purchase-order-none-cancelled`, `nothing-cancelled`): its
 * result must hold none, `.expected.json` or not. Smart Logic restores what a cancellation holds.
 * Only at the end: `line-2-not-cancelled-line-1-cancelled` records a cancellation.
 */
const NOT_A_CANCELLATION = /(?:^|[-_.])(?:not|none|nothing)[-_](?:a[-_])?cancel(?:l?ed|lation)$/i;
/** Malformed fixtures refused as a whole body (not this marketplace's payload, not parseable): they may name no field. */
const DOCUMENT_REFUSAL_PREFIX = "malformed-document-";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function attempt(adapter: Adapter, raw: unknown): Outcome {
  try {
    return { ok: true, value: adapter.parse(raw) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Fails with each of the result's problems in words: a failed `toEqual([])` printed them as
 * "[ Array(1) ]" in reporters that shorten arrays (the JSON one), leaving the author to guess.
 */
function expectValidResult(adapter: Adapter, result: unknown, label: string): void {
  if (result === undefined) {
    throw new Error(`${label}: parse returned undefined: it must return { cancellations, ignored } (a missing return?)`);
  }
  const problems = resultProblems(adapter, result);
  if (problems.length > 0) throw new Error(`${label}: the result breaks the contract:\n${problems.join("\n")}`);
}

/**
 * Fails with where `actual` differs from `expected`, path by path, as expectValidResult does for
 * the result's problems; `toEqual` stays as a backstop for a difference the walk does not see.
 */
function expectSame(actual: unknown, expected: unknown, label: string): void {
  const found = differences(actual, expected);
  if (found.length > 0) throw new Error(`${label}:\n${found.join("\n")}`);
  expect(actual, label).toEqual(expected);
}

function describeVerdict(verdict: unknown): string {
  if (verdict === true) return "true (it let the delivery in)";
  if (typeof verdict === "string") return `the string ${JSON.stringify(verdict.slice(0, 40))}`;
  return typeof verdict === "object" && verdict !== null ? "an object" : String(verdict);
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message.slice(0, 200)}` : String(error);
}

/**
 * Variants of a code that must match it by normalized key: those that keep the code's key. A code
 * with no a-z or 0-9 has the empty key, which core matches exactly only (else every such code
 * would share one row), so it is looked up as written; and a variant whose key differs (upper-case
 * "ß" is "SS") is another code, which core rightly does not match.
 */
function spellings(code: string): string[] {
  const key = normalizeKey(code);
  if (key === "") return [code];
  const spaced = code.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/_/g, " ");
  const variants = [code.toLowerCase(), code.toUpperCase(), spaced, spaced.toUpperCase().replace(/ /g, "_"), ` ${code}-`.replace("-", "")];
  return variants.filter((variant) => normalizeKey(variant) === key);
}

/**
 * The shared suite every adapter runs in one call from its test file:
 *
 * ```ts
 * runAdapterConformance({ adapter: amazon, fixtures: new URL("../__fixtures__", import.meta.url) });
 * ```
 */
export function runAdapterConformance(options: ConformanceOptions): void {
  const { adapter } = options;
  const reasonCodes = options.reasonCodes ?? true;
  const skip = new Set(options.skip ?? []);
  const skipUsed = new Set<string>();
  // The per-fixture tests sit in a group: skip takes "<group> › <fixture>" or the fixture's name.
  let group: string | undefined;
  const skipped = (name: string) => {
    const key = [group === undefined ? name : `${group} › ${name}`, name].find((candidate) => skip.has(candidate));
    if (key !== undefined) skipUsed.add(key);
    return key !== undefined;
  };
  // The fixture-wide checks parse thousands of payloads: give them room on a loaded CI machine.
  const test = (name: string, fn: () => void, timeoutMs = 120_000) => (skipped(name) ? it.skip(name, fn) : it(name, fn, timeoutMs));
  const inGroup = (title: string, register: () => void) =>
    describe(title, () => {
      group = title;
      try {
        register();
      } finally {
        group = undefined;
      }
    });
  const fixtures: Fixture[] = loadFixtures(options.fixtures);
  const valid = fixtures.filter((fixture) => !fixture.malformed);
  const malformed = fixtures.filter((fixture) => fixture.malformed);
  // Each valid fixture's first result, kept by the first test that parses it (the purity check, or
  // the fixture's own test when that check is skipped): the determinism check holds later parses to
  // it, so an adapter carrying state from one call to the next (deltas against what it saw before,
  // results cached by order) fails there instead of comparing two parses made after the state was set.
  const firstResults = new Map<string, unknown>();
  const keepFirst = (fixture: Fixture, result: unknown) => {
    if (!firstResults.has(fixture.name)) firstResults.set(fixture.name, result);
  };
  // A parse of a valid fixture in one input form; a throw names the fixture and the form, which a
  // bare PayloadError from the bytes or the parsed JSON did not.
  const parseAs = (fixture: Fixture, input: unknown, form: string): unknown => {
    try {
      return adapter.parse(input);
    } catch (error) {
      const hint =
        form === "as text"
          ? ""
          : ": hosts hand a body over as text, bytes (a Uint8Array of UTF-8) or parsed JSON, and parse must read each as it reads the text (core's readJson and rawText take all three)";
      throw new Error(`${fixture.file} ${form}: parse threw ${describeError(error)}${hint}`, { cause: error });
    }
  };
  const firstResult = (fixture: Fixture): unknown => {
    if (!firstResults.has(fixture.name)) firstResults.set(fixture.name, parseAs(fixture, fixture.text, "as text"));
    return firstResults.get(fixture.name);
  };

  describe(`adapter conformance: ${adapter.id}`, () => {
    test("declares the contract version this core implements", () => {
      expect(adapter.contractVersion, "contractVersion").toBe(CONTRACT_VERSION);
      expect(adapter.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(adapter.displayName.length).toBeGreaterThan(0);
    });

    test("has a reason table", () => {
      if (!reasonCodes) {
        expect(adapter.reasons, "an adapter declared reasonCodes: false must have an empty table").toHaveLength(0);
        return;
      }
      expect(
        adapter.reasons.length,
        "the reason table is empty: add one row per marketplace code ({ code, label, outcome, origin }) to `reasons` in defineAdapter",
      ).toBeGreaterThan(0);
      expect(
        adapter.reasons.some((row) => row.origin === "spec"),
        "the reason table has no spec row: the product's published rows have origin 'spec'",
      ).toBe(true);
    });

    test("every reason row classifies as declared", () => {
      for (const row of adapter.reasons) {
        const classification = classifyReason(adapter.reasons, row.code);
        expect(classification, `code ${row.code}`).toEqual({
          reasonCode: row.code,
          reasonLabel: row.label,
          reasonOrigin: row.origin,
          outcome: row.outcome,
        });
      }
    });

    test("codes match by normalized key", () => {
      for (const row of adapter.reasons) {
        expect(findReasonRow(adapter.reasons, row.code), `"${row.code}" should match its own row exactly`).toBe(row);
        for (const spelling of spellings(row.code)) {
          // Another spelling matches the first row of the code's key: this one, or one of the same
          // outcome that shares the key (Wish's `1` for `-1`; defineAdapter refuses other outcomes).
          const found = findReasonRow(adapter.reasons, spelling);
          expect(found && normalizeKey(found.code), `"${spelling}" should match ${row.code}`).toBe(normalizeKey(row.code));
          expect(found?.outcome, `"${spelling}" should match ${row.code} (${row.outcome})`).toBe(row.outcome);
        }
      }
    });

    test("an unknown code is ambiguous with origin unknown and restores under Smart Logic", () => {
      const code = "RESTOCK_CONFORMANCE_UNLISTED_CODE_7f3a";
      const classification = classifyReason(adapter.reasons, code);
      expect(classification.reasonOrigin).toBe("unknown");
      expect(classification.outcome).toBe("ambiguous");
      expect(decide("smart", classification)).toEqual({ restore: true, outcome: "ambiguous", rule: "smart.unknown_reason" });
    });

    test("has recorded fixtures, valid and malformed", () => {
      expect(valid.length, "add recorded payloads to __fixtures__ named after the scenario").toBeGreaterThan(0);
      expect(malformed.length, "add malformed-*.json fixtures (wrong types, missing ids, bad quantities)").toBeGreaterThan(0);
      expect(
        orphanExpectations(options.fixtures),
        "these .expected.json files have no payload of their name beside them: rename them with their fixture",
      ).toEqual([]);
      expect(
        malformed.filter((fixture) => fixture.expected !== undefined).map((fixture) => fixture.name),
        "a malformed-* fixture is refused: it has no expected result",
      ).toEqual([]);
    });

    // The worker refuses a body in a format the adapter does not declare (415) before parse sees it:
    // an adapter reading XML without declaring it passed every check here and refused every webhook.
    test("fixtures are in the formats the adapter declares (capabilities.formats), one at least in each", () => {
      const declared: readonly string[] = adapter.capabilities?.formats ?? ["json"];
      const undeclared = fixtures.filter((fixture) => !declared.includes(fixture.format));
      expect(
        undeclared.map((fixture) => fixture.file),
        `these fixtures are ${[...new Set(undeclared.map((fixture) => fixture.format.toUpperCase()))].join(" and ")}, which capabilities.formats (${declared.join(", ")}) does not list: the worker answers 415 to such a body before parse sees it. Declare the format, or drop the fixture`,
      ).toEqual([]);
      const untried = declared.filter((format) => !valid.some((fixture) => fixture.format === format));
      expect(
        untried,
        `capabilities.formats declares ${untried.join(" and ").toUpperCase()}, but no valid fixture is in it: add a recorded payload (a .${untried[0]} file), or stop declaring the format`,
      ).toEqual([]);
    });

    // First of the tests that parse: I/O behind a cache filled on the first call (`table ??=
    // readFileSync(...)`) happens only once per process, and a later check would see none.
    test("parse is synchronous and does no I/O", () => {
      const problems: string[] = [];
      // Malformed fixtures too: a refusal must not reach for a file or the network either.
      for (const fixture of [...valid, ...malformed]) {
        const { result: outcome, io } = watchIo(() => attempt(adapter, fixture.text));
        if (outcome.ok && !fixture.malformed) keepFirst(fixture, outcome.value);
        if (outcome.ok && isThenable(outcome.value)) problems.push(`${fixture.name}: returned a promise`);
        if (io.length > 0) problems.push(`${fixture.name}: ${[...new Set(io)].join(", ")}`);
      }
      if (problems.length > 0) {
        throw new Error(
          `parse must be a pure function of the payload (no promises, timers, clock, files, processes or network):\n${problems.join("\n")}`,
        );
      }
    });

    inGroup(VALID_GROUP, () => {
      for (const fixture of valid) {
        test(fixture.name, () => {
          const outcome = attempt(adapter, fixture.text);
          if (!outcome.ok) throw new Error(`${fixture.file} was rejected: ${describeError(outcome.error)}`);
          keepFirst(fixture, outcome.value);
          expectValidResult(adapter, outcome.value, fixture.file);
          const result = outcome.value as { cancellations: unknown[]; ignored: unknown[] };
          expect(result.cancellations.length + result.ignored.length, `${fixture.file} produced nothing`).toBeGreaterThan(0);
          // Caught without an .expected.json: the order the fixture records is not cancelled.
          const notCancelled = fixture.name.match(NOT_A_CANCELLATION);
          if (notCancelled && result.cancellations.length > 0) {
            const orders = (result.cancellations as { orderId?: unknown }[]).map((cancellation) => JSON.stringify(cancellation.orderId));
            throw new Error(
              `${fixture.file} is named as no cancellation ("${notCancelled[0].replace(/^[-_.]/, "")}"), but parse returned ` +
                `${result.cancellations.length} cancellation(s) (order ${orders.join(", ")}): Smart Logic would restore their lines. ` +
                `An order that is not cancelled gives ignored events only; if the fixture does record a cancellation, rename it`,
            );
          }
          // Recorded expectations catch what no generic check can: a reason mapped to the wrong code,
          // a quantity read from the wrong field.
          if (fixture.expected !== undefined) {
            expectSame(result, fixture.expected, `${fixture.name}.expected.json: the result differs from the recorded one`);
          }
        });
      }
    });

    inGroup("malformed fixtures are rejected with a PayloadError naming the field", () => {
      for (const fixture of malformed) {
        test(fixture.name, () => {
          const outcome = attempt(adapter, fixture.text);
          expect(outcome.ok, `${fixture.file} was accepted`).toBe(false);
          const error = (outcome as { error: unknown }).error;
          if (!isPayloadError(error)) {
            // The worker takes any other error for the adapter's fault: the delivery is accepted, retried and dead-lettered as failed, not answered 400.
            throw new Error(
              `${fixture.file} was refused with ${describeError(error)}, not a PayloadError: validate with parsePayload (it names the field), or throw new PayloadError(message, path)`,
            );
          }
          expect((error as Error).message.length).toBeGreaterThan(0);
          // The worker answers 400 with this path as `field`: a field-level refusal that names none
          // leaves the seller guessing. Only a body refused as a whole (not this marketplace's
          // payload, not parseable) names no field, and its fixture says so.
          if (!(error as PayloadError).path && !fixture.name.startsWith(DOCUMENT_REFUSAL_PREFIX)) {
            throw new Error(
              `${fixture.file} was refused without naming a field (PayloadError.path is empty: ${(error as Error).message}). ` +
                `Name the offending field (throw PayloadError with a path, or parse with parsePayload), or, for a body refused as a whole, ` +
                `name the fixture ${DOCUMENT_REFUSAL_PREFIX}*`,
            );
          }
        });
      }
    });

    test("bodies that are not payloads are rejected with PayloadError", () => {
      // Well-formed JSON values that are no payload: refused, or at most an empty result.
      const documents: unknown[] = [null, 42, true, [], "[1,2]", "null"];
      // Bodies that are no document at all (cut off, not JSON or XML, not text): always refused. An
      // adapter that answered them with an empty result would have a truncated delivery accepted and
      // lost, instead of refused and kept as a dead letter.
      const unparseable: unknown[] = [undefined, "", "   ", "{", "not json", "x".repeat(2_000_000), new Uint8Array([0xff, 0xfe, 0x00])];
      for (const body of [...documents, ...unparseable]) {
        const outcome = attempt(adapter, body);
        const label = typeof body === "string" ? `"${body.slice(0, 20)}"` : String(body);
        if (outcome.ok) {
          expect(
            unparseable.includes(body),
            `${label} is not a document, but parse returned a result instead of throwing PayloadError`,
          ).toBe(false);
          expectValidResult(adapter, outcome.value, label);
          const value = outcome.value as { cancellations: unknown[] };
          expect(value.cancellations, `${label} produced cancellations`).toHaveLength(0);
        } else {
          expect(isPayloadError(outcome.error), `${label}: ${describeError(outcome.error)}`).toBe(true);
        }
      }
    });

    // The worker lets a delivery in only when verifyWebhook returns `true`: a Promise (an `async`
    // check, or one compiled down to `__awaiter`, which defineAdapter cannot tell) refuses every
    // delivery; a throw refuses it too, with a warning logged for each. A check that lets in a
    // delivery with no credentials at all lets anyone move the seller's inventory.
    if (adapter.verifyWebhook) {
      test("verifyWebhook refuses an unsigned delivery with false, synchronously", () => {
        const verify = adapter.verifyWebhook!;
        const secret = "restock-conformance-secret-9c41";
        const problems: string[] = [];
        for (const fixture of valid) {
          const request = {
            headers: { "content-type": fixture.format === "xml" ? "application/xml" : "application/json" },
            rawBody: new TextEncoder().encode(fixture.text),
            url: `/webhooks/${adapter.id}`,
          };
          let verdict: unknown;
          try {
            verdict = verify.call(adapter, request, secret);
          } catch (error) {
            problems.push(
              `${fixture.name}: verifyWebhook threw ${describeError(error)} (the worker refuses the delivery, but logs a warning for each one: return false for anything missing or malformed, never throw)`,
            );
            continue;
          }
          if (isThenable(verdict)) {
            verdict.then(undefined, () => undefined);
            problems.push(
              `${fixture.name}: verifyWebhook returned a Promise: it must return true or false synchronously (the worker refuses every delivery a Promise answers, a signed one too)`,
            );
          } else if (verdict !== false) {
            problems.push(
              `${fixture.name}: verifyWebhook returned ${describeVerdict(verdict)} for a delivery with no signature, token or credentials: it must return false (the worker lets in only true, and refuses anything else)`,
            );
          }
          if (problems.length >= 10) break;
        }
        if (problems.length > 0) throw new Error(`verifyWebhook, given each valid fixture unsigned:\n${problems.join("\n")}`);
      });
    }

    // Hosts take a non-null answer as the reason a secret is refused: a Promise (a check compiled down
    // from `async`) refused every secret with "[object Promise]" for a reason.
    if (adapter.checkWebhookSecret) {
      test("checkWebhookSecret answers null or a reason, synchronously, without throwing", () => {
        const check = adapter.checkWebhookSecret!;
        const problems: string[] = [];
        for (const secret of ["restock-conformance-secret-9c41", "x", "a".repeat(512), "spaces and ünïcödé"]) {
          let answer: unknown;
          try {
            answer = check.call(adapter, secret);
          } catch (error) {
            problems.push(`${previewValue(secret, 20)}: threw ${describeError(error)} (return the reason as a string instead)`);
            continue;
          }
          if (isThenable(answer)) {
            answer.then(undefined, () => undefined);
            problems.push(`${previewValue(secret, 20)}: returned a Promise: it must answer synchronously (every secret would be refused)`);
          } else if (answer !== null && (typeof answer !== "string" || answer === "")) {
            problems.push(
              `${previewValue(secret, 20)}: returned ${describeVerdict(answer)}: it must return null (accepted) or a non-empty reason`,
            );
          }
        }
        if (problems.length > 0) throw new Error(`checkWebhookSecret:\n${problems.join("\n")}`);
      });
    }

    test("mutated payloads give PayloadError or a valid result, never another exception", () => {
      const failures: string[] = [];
      // The first ten failures are enough to read; the labelled loop stops there.
      mutate: for (const fixture of valid.filter((f) => f.format === "json")) {
        const document = JSON.parse(rawText(fixture.text)!);
        for (const path of jsonPaths(document)) {
          for (const value of HOSTILE_VALUES) {
            const outcome = attempt(adapter, withValueAt(document, path, value));
            const where = `${fixture.name} ${path.join(".")} = ${previewValue(value, 20)}`;
            if (outcome.ok) {
              const problems = resultProblems(adapter, outcome.value);
              if (problems.length > 0) failures.push(`${where}: invalid result: ${problems[0]}`);
            } else if (!isPayloadError(outcome.error)) {
              failures.push(`${where}: threw ${describeError(outcome.error)}`);
            }
            if (failures.length >= 10) break mutate;
          }
        }
      }
      if (failures.length > 0) {
        throw new Error(
          `mutated payloads gave neither a PayloadError nor a valid result (${failures.length === 10 ? "the first ten" : failures.length}):\n${failures.join("\n")}`,
        );
      }
    });

    test("parsing is deterministic and text, bytes and parsed JSON agree", () => {
      const stateHint = "parse must keep no state from one call to the next, nor read the clock";
      // The later parses run decades later by the clock: an adapter that reads it (say, for a
      // payload without a time) gives another result and fails here every time, not now and then.
      vi.useFakeTimers({ toFake: ["Date"] });
      try {
        for (const fixture of valid) {
          vi.setSystemTime(new Date("2001-02-03T04:05:06.007Z"));
          // The purity check's parse when it ran, else this test's own first one (it may be skipped).
          const first = firstResult(fixture);
          const again = `${fixture.name}, parsed again at another time: differs from its first parse (${stateHint})`;
          expectSame(parseAs(fixture, fixture.text, "as text, parsed again at another time"), first, again);
          vi.setSystemTime(new Date("2042-11-12T13:14:15.016Z"));
          expectSame(parseAs(fixture, fixture.text, "as text, parsed again decades later"), first, again);
        }
      } finally {
        vi.useRealTimers();
      }
      for (const fixture of valid) {
        const first = firstResult(fixture);
        const bytes = new TextEncoder().encode(fixture.text);
        const before = bytes.slice();
        expectSame(parseAs(fixture, bytes, "as bytes"), first, `${fixture.name} as bytes: differs from its parse as text`);
        // A host keeps the bytes it passed (the worker stores them as the delivery's body).
        if (bytes.some((byte, index) => byte !== before[index])) throw new Error(`${fixture.name}: parse changed the bytes it was given`);
        if (fixture.format === "json" && !/\d{16,}/.test(fixture.text)) {
          const input = JSON.parse(rawText(fixture.text)!);
          expectSame(parseAs(fixture, input, "as parsed JSON"), first, `${fixture.name} as parsed JSON: differs from its parse as text`);
          // A host may parse once and hand the same object to several calls: parse must not change it.
          expectSame(input, JSON.parse(rawText(fixture.text)!), `${fixture.name}: parse changed the parsed JSON it was given`);
        }
      }
    });

    // The worker's host may run in any time zone: a time without a zone read as local
    // (`new Date("2026-03-05 10:00:00")`) gave another instant on each, and passed on a UTC machine.
    // Only a process can change its zone: in a worker thread (vitest's `threads` pool) TZ is fixed,
    // and the check is skipped rather than passed.
    (timeZoneCanChange()
      ? test
      : (name: string, fn: () => void) =>
          it.skip(`${name} (skipped: TZ cannot change in a worker thread; run the kit in vitest's forks pool)`, fn))(
      "parsing does not depend on the host's time zone",
      () => {
        const zone = process.env.TZ;
        try {
          for (const other of ["Pacific/Kiritimati", "America/Los_Angeles"]) {
            process.env.TZ = other;
            for (const fixture of valid) {
              expectSame(
                parseAs(fixture, fixture.text, `as text, in time zone ${other}`),
                firstResult(fixture),
                `${fixture.name}, parsed again in time zone ${other}: differs from its first parse (parse must not depend on the host's time zone: read a time without a zone as UTC, or as the marketplace documents it)`,
              );
            }
          }
        } finally {
          restoreTimeZone(zone);
        }
      },
    );

    test("every spec row is exercised by a fixture", () => {
      const seen = new Set<string>();
      for (const fixture of valid) {
        const result = parseAs(fixture, fixture.text, "as text") as ReturnType<Adapter["parse"]> | undefined;
        // A result that is no result fails the fixture's own test, which says why.
        if (!Array.isArray(result?.cancellations)) continue;
        for (const cancellation of result.cancellations) {
          for (const line of cancellation.lines) {
            for (const reason of lineReasons(line)) {
              // Only a spec row counts: an extended row sharing the label does not exercise it.
              const row = findReasonRow(adapter.reasons, reason.code);
              if (row?.origin === "spec") seen.add(row.label);
            }
          }
        }
      }
      const missing = [...new Set(adapter.reasons.filter((row) => row.origin === "spec").map((row) => row.label))].filter(
        (label) => !seen.has(label),
      );
      expect(missing, "spec rows with no fixture: add a recorded payload for each").toEqual([]);
    });

    // A code missing from the table classifies as unknown, and Smart Logic restores its lines: a
    // fixture that sends one is either a row to add or a recording of that case, named for it.
    test("reason codes the fixtures send are in the reason table, unless the fixture is named for an unknown one", () => {
      const problems: string[] = [];
      for (const fixture of valid) {
        if (!reasonCodes || /unknown/i.test(fixture.name) || skip.has(fixture.name) || skip.has(`${VALID_GROUP} › ${fixture.name}`)) {
          continue;
        }
        // A fixture the adapter rejects fails its own test, which names it; nothing to read here.
        const outcome = attempt(adapter, fixture.text);
        const cancellations = outcome.ok ? (outcome.value as ReturnType<Adapter["parse"]> | undefined)?.cancellations : undefined;
        if (!Array.isArray(cancellations)) continue;
        const unlisted = new Set<string>();
        for (const cancellation of cancellations) {
          for (const line of cancellation.lines) {
            for (const reason of lineReasons(line)) if (!findReasonRow(adapter.reasons, reason.code)) unlisted.add(reason.code);
          }
        }
        if (unlisted.size > 0) problems.push(`${fixture.file}: ${[...unlisted].map((code) => JSON.stringify(code)).join(", ")}`);
      }
      const hint =
        "codes not in the reason table (Smart Logic restores them as unknown): add a row for each, or, for a recording of an unlisted code, put `unknown` in the fixture's name";
      expect(problems, `${hint}: ${problems.join("; ")}`).toEqual([]);
    });

    // A misspelt skip entry would skip nothing, silently. The entries are checked when this test
    // runs, not here: vitest runs the groups' bodies, which name the per-fixture tests, only after
    // this body returns, and runs no test before every body in the file has.
    if (skip.size > 0) {
      it("skip names only tests of the kit", () => {
        const unknownSkips = [...skip].filter((name) => !skipUsed.has(name));
        const listed = unknownSkips.map((name) => JSON.stringify(name)).join(", ");
        const message = `these skip entries match no test: ${listed}; use a title from the kit's table (docs/adapters.md)`;
        expect(unknownSkips, message).toEqual([]);
      });
    }
  });
}

/** The reasons a line was cancelled under: its own, and each part's for a line cancelled under several. */
function lineReasons(line: CancelledLine): Reason[] {
  const reasons = line.reason ? [line.reason] : [];
  for (const part of line.reasonParts ?? []) if (part.reason) reasons.push(part.reason);
  return reasons;
}

function restoreTimeZone(zone: string | undefined): void {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
}

/** Whether setting TZ moves this thread's clock zone (a process's main thread: yes; a worker thread: no). */
function timeZoneCanChange(): boolean {
  const zone = process.env.TZ;
  try {
    process.env.TZ = "Pacific/Kiritimati";
    return new Date(2026, 0, 1).getTimezoneOffset() === -840;
  } finally {
    restoreTimeZone(zone);
  }
}
