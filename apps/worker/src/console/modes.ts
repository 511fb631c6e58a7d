import type { Outcome, RestorationMode, Rule } from "@restock/core";

export interface ModeChoice {
  mode: RestorationMode;
  label: string;
  /** What the mode does (rule book §1). */
  does: string;
  /** Who it is meant for (rule book §1). */
  meantFor: string;
}

/** The three choices of "Inventory Restoration on Order Cancellation", in the order the help page lists them. */
export const MODE_CHOICES: readonly ModeChoice[] = [
  {
    mode: "always",
    label: "Always Restore",
    does: "Inventory is always added back when an order is cancelled, whatever the reason.",
    meantFor: "Sellers who adjust inventory by hand or want full control.",
  },
  {
    mode: "never",
    label: "Never Restore",
    does: "Inventory is never added back when an order is cancelled.",
    meantFor: "Sellers whose external inventory system or warehouse (WMS) restocks on its own.",
  },
  {
    mode: "smart",
    label: "Smart Logic",
    does: "Inventory is restored or withheld based on the cancellation reason the marketplace sent.",
    meantFor: "Most sellers; the default for a new integration.",
  },
];

export function modeLabel(mode: RestorationMode): string {
  return MODE_CHOICES.find((choice) => choice.mode === mode)!.label;
}

const OUTCOME_LABELS: Record<Outcome, string> = {
  restore: "Restore",
  do_not_restore: "Do not restore",
  ambiguous: "Ambiguous (restores)",
};

export function outcomeLabel(outcome: Outcome): string {
  return OUTCOME_LABELS[outcome];
}

/** The rules a decision can name (core's Rule), in words for the decisions filter. */
export const RULE_LABELS: Record<Rule, string> = {
  always: "Always Restore",
  never: "Never Restore",
  "smart.restore": "Smart Logic: reason restores",
  "smart.do_not_restore": "Smart Logic: item no longer available",
  "smart.ambiguous": "Smart Logic: ambiguous reason",
  "smart.no_reason": "Smart Logic: no reason sent",
  "smart.unknown_reason": "Smart Logic: unknown reason code",
};
