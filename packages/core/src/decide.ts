import type { Classification } from "./classify-reason.js";
import { type Outcome, RestorationMode, type Rule } from "./schemas/mode.js";

export interface Verdict {
  restore: boolean;
  outcome: Outcome;
  rule: Rule;
}

/** The rule book's decision table (§1, §2): mode first, then Smart Logic on the classification. */
export function decide(mode: RestorationMode, classification: Classification): Verdict {
  const { outcome } = classification;
  switch (mode) {
    case "always":
      return { restore: true, outcome, rule: "always" };
    case "never":
      return { restore: false, outcome, rule: "never" };
    case "smart":
      return decideSmart(classification);
    default:
      throw modeError(mode);
  }
}

/**
 * Refuses anything but a restoration mode, naming `mode`. A host that reads the mode from its own
 * settings in JavaScript ("SMART", a missing key) got `undefined` from decide and a TypeError
 * ("reading 'restore'") deep inside the engine; a payload with only ignored events got nothing at all.
 * No default is guessed: restoring for a seller who chose Never oversells.
 */
export function checkMode(mode: unknown): asserts mode is RestorationMode {
  if (!RestorationMode.options.includes(mode as RestorationMode)) throw modeError(mode);
}

function modeError(mode: unknown): TypeError {
  const expected = RestorationMode.options.map((option) => `"${option}"`).join(", ");
  return new TypeError(`mode: expected one of ${expected}, got ${mode === undefined ? "nothing" : JSON.stringify(mode)}`);
}

function decideSmart({ reasonOrigin, outcome }: Classification): Verdict {
  if (reasonOrigin === "none") return { restore: true, outcome, rule: "smart.no_reason" };
  if (reasonOrigin === "unknown") return { restore: true, outcome, rule: "smart.unknown_reason" };
  if (outcome === "do_not_restore") return { restore: false, outcome, rule: "smart.do_not_restore" };
  if (outcome === "restore") return { restore: true, outcome, rule: "smart.restore" };
  return { restore: true, outcome, rule: "smart.ambiguous" };
}
