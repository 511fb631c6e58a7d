import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The kit run as an adapter's suite runs it: on the example adapter, in a child vitest
// (test/kit-runs/*.kit.ts), whose JSON report says which tests were skipped, passed or failed. A
// run meant to fail cannot sit in this suite itself.

interface TestReport {
  title: string;
  ancestorTitles: string[];
  status: string;
  failureMessages: string[];
}
interface Report {
  testResults: { name: string; assertionResults: TestReport[] }[];
}

const vitest = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const config = fileURLToPath(new URL("./kit-runs/vitest.config.ts", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "restock-kit-skip-"));
const runs = new Map<string, TestReport[]>();

// A child vitest must not think it is a worker of the vitest running this file.
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "TEST" || key === "NODE_OPTIONS") delete env[key];
  return env;
}

beforeAll(async () => {
  const reportFile = join(work, "report.json");
  // The run fails (one file is meant to): the report tells what happened in each file.
  await promisify(execFile)(process.execPath, [vitest, "run", "--config", config, "--reporter=json", `--outputFile=${reportFile}`], {
    env: childEnv(),
    maxBuffer: 32 << 20,
  }).catch(() => undefined);
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as Report;
  for (const file of report.testResults) runs.set(basename(file.name), file.assertionResults);
  // ~15 s alone; a machine busy with other packages' suites (turbo runs two at once) took over 120 s.
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(file: string): TestReport[] {
  const tests = runs.get(file);
  if (!tests) throw new Error(`${file} is not in the child vitest's report (${[...runs.keys()].join(", ")})`);
  return tests;
}

const titles = (tests: TestReport[], status: string) =>
  tests.filter((test) => test.status === status).map((test) => [...test.ancestorTitles.slice(1), test.title].join(" › "));

const VALID = "fixtures parse to valid cancellations or ignored events";
const MALFORMED = "malformed fixtures are rejected with a PayloadError naming the field";

describe("runAdapterConformance skip", () => {
  it("skips a check and per-fixture tests named alone or with their group, and the skip check passes", () => {
    const tests = run("skip-matched.kit.ts");
    expect(titles(tests, "skipped").sort()).toEqual(
      [
        "has recorded fixtures, valid and malformed",
        `${VALID} › cancel-requested`,
        `${VALID} › cancelled-out-of-stock`,
        `${MALFORMED} › malformed-negative-quantity`,
      ].sort(),
    );
    expect(titles(tests, "failed")).toEqual([]);
    expect(titles(tests, "passed")).toEqual(
      expect.arrayContaining([
        `${VALID} › cancelled-customer`,
        `${MALFORMED} › malformed-missing-order-id`,
        "skip names only tests of the kit",
      ]),
    );
  });

  it("fails the skip check with the entries that match no test, and still skips the ones that do", () => {
    const tests = run("skip-unmatched.kit.ts");
    expect(titles(tests, "skipped")).toEqual([`${VALID} › cancelled-out-of-stock`]);
    expect(titles(tests, "failed")).toEqual(["skip names only tests of the kit"]);
    const message = tests.find((test) => test.title === "skip names only tests of the kit")!.failureMessages.join("\n");
    expect(message).toContain("these skip entries match no test");
    expect(message).toContain('"cancelled-out-of-stok"');
    expect(message).toContain(`"${MALFORMED} › cancelled-customer"`);
    expect(message).not.toContain('"cancelled-out-of-stock"');
  });
});

describe("runAdapterConformance occurredAt", () => {
  it("fails each valid fixture whose cancellation's time is not ISO-8601 with a zone, naming the value", () => {
    const tests = run("occurred-at-not-iso.kit.ts");
    const failed = titles(tests, "failed");
    expect(failed).toEqual(expect.arrayContaining([`${VALID} › cancelled-customer`, `${VALID} › cancelled-out-of-stock`]));
    const message = tests.find((test) => test.title === "cancelled-customer")!.failureMessages.join("\n");
    expect(message).toContain('occurredAt "05/03/2026 10:00" is not an ISO-8601 time with a zone');
    // Ignored events carry no time: the fixture that yields only those still passes.
    expect(titles(tests, "passed")).toContain(`${VALID} › cancel-requested`);
  });
});

describe("runAdapterConformance reason codes", () => {
  it("fails when a valid fixture sends a code the reason table lacks, naming the fixture and the code", () => {
    const tests = run("reason-unlisted.kit.ts");
    const check = "reason codes the fixtures send are in the reason table, unless the fixture is named for an unknown one";
    expect(titles(tests, "failed")).toEqual([check]);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toContain('cancelled-customer.json: "CUSTOMER"');
    expect(message).toContain("put `unknown` in the fixture's name");
  });

  it("reads the codes of a line's reason parts too, naming the fixture", () => {
    const tests = run("reason-part-unlisted.kit.ts");
    const check = "reason codes the fixtures send are in the reason table, unless the fixture is named for an unknown one";
    expect(titles(tests, "failed")).toEqual([check]);
    expect(tests.find((test) => test.title === check)!.failureMessages.join("\n")).toContain(
      'cancelled-customer.json: "SELLER_ON_VACATION"',
    );
  });

  it("passes with every code the fixtures send in the table", () => {
    const check = "reason codes the fixtures send are in the reason table, unless the fixture is named for an unknown one";
    expect(titles(run("skip-matched.kit.ts"), "passed")).toContain(check);
  });
});

describe("runAdapterConformance reason code spellings", () => {
  const check = "codes match by normalized key";

  it("passes codes core matches exactly only (no a-z or 0-9), whose upper case is another key, or sharing a key with one outcome", () => {
    const tests = run("reason-code-no-key.kit.ts");
    expect(titles(tests, "failed")).toEqual([]);
    expect(titles(tests, "passed")).toContain(check);
  });
});

describe("runAdapterConformance malformed fixtures", () => {
  it("fails a malformed fixture refused without naming a field, saying how to mend it; a malformed-document-* one may name none", () => {
    const tests = run("malformed-unnamed-field.kit.ts");
    expect(
      titles(tests, "failed")
        .filter((title) => title.startsWith(MALFORMED))
        .sort(),
    ).toEqual([`${MALFORMED} › malformed-missing-order-id`, `${MALFORMED} › malformed-negative-quantity`]);
    expect(titles(tests, "passed")).toContain(`${MALFORMED} › malformed-document-a-list-not-an-order`);
    const message = tests.find((test) => test.title === "malformed-negative-quantity")!.failureMessages.join("\n");
    expect(message).toContain("malformed-negative-quantity.json was refused without naming a field");
    expect(message).toContain("name the fixture malformed-document-*");
  });

  it("passes fixtures refused naming their field", () => {
    const passed = titles(run("skip-matched.kit.ts"), "passed");
    expect(passed).toEqual(
      expect.arrayContaining([`${MALFORMED} › malformed-missing-order-id`, `${MALFORMED} › malformed-document-a-list-not-an-order`]),
    );
  });
});

describe("runAdapterConformance purity", () => {
  const check = "parse is synchronous and does no I/O";

  it("fails a parse that reads a file (even one that catches the refusal), starts a timer or reads the clock, naming the fixture and the call", () => {
    const tests = run("io-in-parse.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toContain("cancelled-customer: fs.readFileSync, async Timeout, Date.now");
    expect(message).toContain("malformed-negative-quantity: fs.readFileSync, async Timeout, Date.now");
  });

  it("fails a parse that draws a random number or reads the process clock, naming the call", () => {
    const tests = run("chance-in-parse.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    expect(tests.find((test) => test.title === check)!.failureMessages.join("\n")).toContain(
      "cancelled-customer: Math.random, process.hrtime.bigint",
    );
  });

  it("fails a parse that reads the clock through Intl.DateTimeFormat or draws chance through node:crypto's named exports", () => {
    const tests = run("clock-via-intl-and-node-crypto.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toContain(
      "cancelled-customer: Intl.DateTimeFormat format(), Intl.DateTimeFormat formatToParts(), node:crypto.randomUUID",
    );
    // randomBytes also starts a request async_hooks sees; getRandomValues calls the global crypto's.
    expect(message).toContain("node:crypto.randomBytes, async RANDOMBYTESREQUEST, node:crypto.randomInt, crypto.getRandomValues");
  });

  it("catches I/O behind a cache filled on the first call: the purity check is the first test that parses", () => {
    const tests = run("lazy-io-in-parse.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    expect(tests.find((test) => test.title === check)!.failureMessages.join("\n")).toContain("cancel-requested: fs.readFileSync");
  });

  it("passes a pure parse", () => {
    expect(titles(run("skip-matched.kit.ts"), "passed")).toContain(check);
  });
});

describe("runAdapterConformance determinism", () => {
  const check = "parsing is deterministic and text, bytes and parsed JSON agree";

  it("fails an adapter carrying state between calls, naming the fixture: later parses are held to the purity check's first one", () => {
    const tests = run("stateful-parse.kit.ts");
    expect(titles(tests, "failed")).toContain(check);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toContain("cancelled-customer, parsed again at another time: differs from its first parse");
  });

  it("still compares the later parses with a first of its own when the purity check is skipped", () => {
    const tests = run("stateful-parse-purity-skipped.kit.ts");
    expect(titles(tests, "skipped")).toEqual(["parse is synchronous and does no I/O"]);
    expect(titles(tests, "failed")).toContain(check);
  });

  it("names the fixture and the input form when parse throws on the bytes, instead of a bare PayloadError", () => {
    const tests = run("bytes-unread.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toMatch(/cancel-requested\.json as bytes: parse threw PayloadError: body is not valid JSON \(not a string\)/);
    expect(message).toContain("hosts hand a body over as text, bytes (a Uint8Array of UTF-8) or parsed JSON");
  });

  it("says where a later parse differs from the first, path by path", () => {
    const message = run("stateful-parse.kit.ts")
      .find((test) => test.title === check)!
      .failureMessages.join("\n");
    expect(message).toContain('nor read the clock):\ncancellations[0]: missing, expected {"marketplace":"example","orderId":"A-1"');
    expect(message).toContain('ignored[0]: not expected, got {"kind":"no new units"');
  });

  it("passes a stateless adapter", () => {
    expect(titles(run("skip-matched.kit.ts"), "passed")).toContain(check);
  });
});

describe("runAdapterConformance bodies that are not payloads", () => {
  const check = "bodies that are not payloads are rejected with PayloadError";

  it("fails an adapter that answers a body it cannot read with an empty result", () => {
    const tests = run("swallows-unparseable.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    expect(tests.find((test) => test.title === check)!.failureMessages.join("\n")).toContain(
      "is not a document, but parse returned a result instead of throwing PayloadError",
    );
  });

  it("passes an adapter that refuses them", () => {
    expect(titles(run("skip-matched.kit.ts"), "passed")).toContain(check);
  });
});

describe("runAdapterConformance spec rows", () => {
  it("counts a spec row exercised only by a fixture of a spec row, not of an extended row sharing its label", () => {
    const tests = run("spec-label-shared.kit.ts");
    const check = "every spec row is exercised by a fixture";
    expect(titles(tests, "failed")).toEqual([check]);
    expect(tests.find((test) => test.title === check)!.failureMessages.join("\n")).toContain("Customer");
  });
});

describe("runAdapterConformance recorded expectations", () => {
  const fixture = `${VALID} › cancelled-customer`;

  it("compares a fixture's result with its <case>.expected.json, catching a reason read from the wrong place", () => {
    const tests = run("expected-mismatch.kit.ts");
    // (No fixture exercises the spec row CUSTOMER any more either.)
    expect(titles(tests, "failed").sort()).toEqual([fixture, "every spec row is exercised by a fixture"].sort());
    const message = tests.find((test) => test.title === "cancelled-customer")!.failureMessages.join("\n");
    expect(message).toContain("cancelled-customer.expected.json: the result differs from the recorded one");
    // Where it differs, in words: the JSON reporter printed a bare "expected { …(2) } to deeply equal { …(2) }".
    expect(message).toContain('cancellations[0].lines[0].reason.code: expected "CUSTOMER", got "OUT_OF_STOCK"');
  });

  it("passes a result equal to it", () => {
    const tests = run("expected-match.kit.ts");
    expect(titles(tests, "failed")).toEqual([]);
    expect(titles(tests, "passed")).toContain(fixture);
  });
});

describe("runAdapterConformance verifyWebhook", () => {
  const check = "verifyWebhook refuses an unsigned delivery with false, synchronously";
  const message = (file: string) =>
    run(file)
      .find((test) => test.title === check)!
      .failureMessages.join("\n");

  it("fails a check that answers with a Promise, naming the fixture and why the worker refuses every delivery", () => {
    expect(titles(run("verify-async.kit.ts"), "failed")).toEqual([check]);
    expect(message("verify-async.kit.ts")).toContain(
      "cancelled-customer: verifyWebhook returned a Promise: it must return true or false synchronously",
    );
  });

  it("fails a check that throws on a delivery without credentials: it must return false", () => {
    expect(titles(run("verify-throws.kit.ts"), "failed")).toEqual([check]);
    expect(message("verify-throws.kit.ts")).toContain("cancelled-customer: verifyWebhook threw TypeError");
    expect(message("verify-throws.kit.ts")).toContain("return false for anything missing or malformed, never throw");
  });

  it("fails a check that answers with another value than false", () => {
    expect(titles(run("verify-truthy.kit.ts"), "failed")).toEqual([check]);
    expect(message("verify-truthy.kit.ts")).toContain('cancelled-customer: verifyWebhook returned the string "sha256=abc"');
  });

  it("passes a check that returns false, and is not run for an adapter without one", () => {
    expect(titles(run("verify-false.kit.ts"), "passed")).toContain(check);
    expect(titles(run("verify-false.kit.ts"), "failed")).toEqual([]);
    expect(run("skip-matched.kit.ts").map((test) => test.title)).not.toContain(check);
  });
});

describe("runAdapterConformance fixtures named as no cancellation", () => {
  const fixture = `${VALID} › open-order-not-cancelled`;

  it("fails one the adapter turns into cancellations, without an .expected.json, naming the fixture and the order", () => {
    const tests = run("not-cancelled-as-cancellation.kit.ts");
    expect(titles(tests, "failed")).toEqual([fixture]);
    const message = tests.find((test) => test.title === "open-order-not-cancelled")!.failureMessages.join("\n");
    expect(message).toContain(
      'open-order-not-cancelled.json is named as no cancellation ("not-cancelled"), but parse returned 1 cancellation(s) (order "A-5")',
    );
    expect(message).toContain("Smart Logic would restore their lines");
  });

  it("passes one the adapter answers with ignored events only", () => {
    const tests = run("not-cancelled-ignored.kit.ts");
    expect(titles(tests, "failed")).toEqual([]);
    expect(titles(tests, "passed")).toContain(fixture);
  });
});

describe("runAdapterConformance mutated payloads", () => {
  const check = "mutated payloads give PayloadError or a valid result, never another exception";

  it("lists each failure with the fixture, path and value, not a shortened array", () => {
    const tests = run("mutation-throws.kit.ts");
    expect(titles(tests, "failed")).toEqual([check]);
    const message = tests.find((test) => test.title === check)!.failureMessages.join("\n");
    expect(message).toContain("mutated payloads gave neither a PayloadError nor a valid result (3):");
    expect(message).toContain('cancelled-customer order.reason = "": threw TypeError: reason.trim is not a function');
    expect(message).toContain('cancel-requested order.reason = "": threw TypeError');
    expect(message).not.toContain("…(");
  });
});

describe("runAdapterConformance formats, time zones, secret checks and a missing result", () => {
  const failed = (file: string) => titles(run(file), "failed");
  const message = (file: string, title: string) =>
    run(file)
      .filter((test) => [...test.ancestorTitles.slice(1), test.title].join(" › ") === title)
      .flatMap((test) => test.failureMessages)
      .join("\n");
  const FORMATS = "fixtures are in the formats the adapter declares (capabilities.formats), one at least in each";
  const DETERMINISTIC = "parsing is deterministic and text, bytes and parsed JSON agree";
  const TIME_ZONE = "parsing does not depend on the host's time zone";
  const SECRET = "checkWebhookSecret answers null or a reason, synchronously, without throwing";

  it("fails fixtures in a format the adapter does not declare: the worker answers 415 before parse sees them", () => {
    expect(failed("formats-undeclared.kit.ts")).toContain(FORMATS);
    expect(message("formats-undeclared.kit.ts", FORMATS)).toContain(
      "these fixtures are JSON, which capabilities.formats (xml) does not list: the worker answers 415",
    );
  });

  it("fails a declared format no valid fixture is in", () => {
    expect(failed("formats-untried.kit.ts")).toEqual([FORMATS]);
    expect(message("formats-untried.kit.ts", FORMATS)).toContain("capabilities.formats declares XML, but no valid fixture is in it");
    expect(titles(run("skip-matched.kit.ts"), "passed")).toContain(FORMATS);
  });

  it("fails a parse whose result depends on the host's time zone, naming the zone and the field", () => {
    expect(failed("time-zone-dependent.kit.ts")).toEqual([TIME_ZONE]);
    expect(message("time-zone-dependent.kit.ts", TIME_ZONE)).toContain(
      "parsed again in time zone Pacific/Kiritimati: differs from its first parse (parse must not depend on the host's time zone",
    );
    expect(message("time-zone-dependent.kit.ts", TIME_ZONE)).toContain(
      'cancellations[0].occurredAt: expected "2026-03-05T10:00:00.000Z", got "2026-03-04T20:00:00.000Z"',
    );
  });

  it("fails a checkWebhookSecret that answers with a Promise; runs it only for an adapter that has one", () => {
    expect(failed("secret-check-promise.kit.ts")).toEqual([SECRET]);
    expect(message("secret-check-promise.kit.ts", SECRET)).toContain("returned a Promise: it must answer synchronously");
    expect(run("skip-matched.kit.ts").map((test) => test.title)).not.toContain(SECRET);
  });

  it("fails a malformed fixture refused with a plain Error, saying how to refuse it", () => {
    const messages = run("plain-error-refusal.kit.ts")
      .filter((test) => test.ancestorTitles.includes(MALFORMED))
      .flatMap((test) => test.failureMessages);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]).toContain(
      "not a PayloadError: validate with parsePayload (it names the field), or throw new PayloadError(message, path)",
    );
  });

  it("fails a parse that changes the bytes it was given", () => {
    expect(failed("bytes-overwritten.kit.ts")).toEqual([DETERMINISTIC]);
    expect(message("bytes-overwritten.kit.ts", DETERMINISTIC)).toContain("parse changed the bytes it was given");
  });

  it("passes a fixture with a byte-order mark, which parse leaves as it was given", () => {
    expect(failed("bom-fixture.kit.ts")).toEqual([]);
    expect(titles(run("bom-fixture.kit.ts"), "passed")).toEqual(expect.arrayContaining([DETERMINISTIC, TIME_ZONE]));
  });

  it("says a parse returned undefined, and no check fails on reading it", () => {
    const messages = run("parse-returns-nothing.kit.ts").flatMap((test) => test.failureMessages);
    expect(messages.join("\n")).toContain("parse returned undefined: it must return { cancellations, ignored } (a missing return?)");
    expect(messages.filter((text) => text.includes("Cannot read properties of undefined"))).toEqual([]);
  });
});
