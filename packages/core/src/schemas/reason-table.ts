import { z } from "zod";
import { Outcome } from "./mode.js";

/**
 * One row of a marketplace's reason table. A spec row with several codes
 * (eBay `ADDRESS_ISSUES` / `AddressIssues`) is written as one row per code
 * sharing a label, so every code is looked up the same way.
 */
export const ReasonRow = z.object({
  code: z.string().min(1),
  label: z.string().min(1),
  outcome: Outcome,
  /** `spec`: the product's published table; `extended`: our decision for a code beyond it. */
  origin: z.enum(["spec", "extended"]),
});
export type ReasonRow = z.infer<typeof ReasonRow>;

export const ReasonTable = z.array(ReasonRow).readonly();
export type ReasonTable = readonly ReasonRow[];
