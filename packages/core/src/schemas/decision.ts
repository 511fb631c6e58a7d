import { z } from "zod";
import { Outcome, ReasonOrigin, RestorationMode, Rule } from "./mode.js";

/** The decision for the units of a line cancelled under one of its several reasons. */
export const PartDecision = z.object({
  /** Cumulative units cancelled under this reason. */
  quantity: z.number().int().positive(),
  restore: z.boolean(),
  outcome: Outcome,
  rule: Rule,
  reasonCode: z.string().nullable(),
  reasonLabel: z.string().nullable(),
  reasonOrigin: ReasonOrigin,
  /** True when the adapter inferred this part's reason (no code was sent); absent otherwise, and in decisions made before it was kept. */
  reasonDerived: z.literal(true).optional(),
});
export type PartDecision = z.infer<typeof PartDecision>;

/** The decision for one cancelled line, with everything needed to explain it later. */
export const LineDecision = z.object({
  lineId: z.string(),
  sku: z.string(),
  restore: z.boolean(),
  /** Cumulative cancelled quantity the decision covers. */
  quantity: z.number().int().positive(),
  mode: RestorationMode,
  outcome: Outcome,
  rule: Rule,
  reasonCode: z.string().nullable(),
  reasonLabel: z.string().nullable(),
  reasonOrigin: ReasonOrigin,
  reasonDerived: z.boolean(),
  /**
   * One decision per reason, for a line cancelled under several (`CancelledLine.reasonParts`). The
   * fields above are then the largest part's; what may be restored is `restorableQuantity(decision)`.
   */
  parts: z.array(PartDecision).optional(),
});
export type LineDecision = z.infer<typeof LineDecision>;

/**
 * How many of the line's cumulative units the decision lets a ledger restore: all or none for a
 * line with one reason, the units of its restoring parts for a line cancelled under several.
 */
export function restorableQuantity(decision: Pick<LineDecision, "restore" | "quantity" | "parts">): number {
  if (decision.parts === undefined) return decision.restore ? decision.quantity : 0;
  let units = 0;
  for (const part of decision.parts) if (part.restore) units += part.quantity;
  return units;
}
