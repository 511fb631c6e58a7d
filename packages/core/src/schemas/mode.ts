import { z } from "zod";

/** The per-integration setting "Inventory Restoration on Order Cancellation". */
export const RestorationMode = z.enum(["always", "never", "smart"]);
export type RestorationMode = z.infer<typeof RestorationMode>;

/** What Smart Logic concludes from a reason. `ambiguous` restores (rule book §2). */
export const Outcome = z.enum(["restore", "do_not_restore", "ambiguous"]);
export type Outcome = z.infer<typeof Outcome>;

/** The rule that fired for a decision; every decision names exactly one. */
export const Rule = z.enum([
  "always",
  "never",
  "smart.restore",
  "smart.do_not_restore",
  "smart.ambiguous",
  "smart.no_reason",
  "smart.unknown_reason",
]);
export type Rule = z.infer<typeof Rule>;

/** Where a decision's reason code came from. */
export const ReasonOrigin = z.enum(["spec", "extended", "unknown", "none"]);
export type ReasonOrigin = z.infer<typeof ReasonOrigin>;

export const DEFAULT_MODE: RestorationMode = "smart";
