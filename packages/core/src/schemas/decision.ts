import { z } from "zod";
import { Outcome, ReasonOrigin, RestorationMode, Rule } from "./mode.js";

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
});
export type LineDecision = z.infer<typeof LineDecision>;
