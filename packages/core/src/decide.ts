import type { Classification } from "./classify-reason.js";
import type { Outcome, RestorationMode, Rule } from "./schemas/mode.js";

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
  }
}

function decideSmart({ reasonOrigin, outcome }: Classification): Verdict {
  if (reasonOrigin === "none") return { restore: true, outcome, rule: "smart.no_reason" };
  if (reasonOrigin === "unknown") return { restore: true, outcome, rule: "smart.unknown_reason" };
  if (outcome === "do_not_restore") return { restore: false, outcome, rule: "smart.do_not_restore" };
  if (outcome === "restore") return { restore: true, outcome, rule: "smart.restore" };
  return { restore: true, outcome, rule: "smart.ambiguous" };
}
