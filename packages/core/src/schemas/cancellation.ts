import { z } from "zod";

/**
 * Text that keys the ledger (ids, SKUs) or is shown (reason codes): well-formed Unicode without NUL.
 * A lone surrogate (a JSON `\udc80` escape) is stored as U+FFFD, so "LONE\udc80" and "LONE\udc81"
 * would become one SKU; NUL is what the stores put between the parts of a composite key.
 */
export function isCleanText(value: string): boolean {
  return (value as string & { isWellFormed(): boolean }).isWellFormed() && !value.includes("\u0000");
}
export const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";
const Text = (max: number) => z.string().min(1).max(max).refine(isCleanText, CLEAN_TEXT);
const Id = Text(256);

/** A reason code as an adapter hands it on: text. */
const ReasonCode = Text(256);

/**
 * A reason code as a host may send it in a canonical cancellation: Numeric codes (Wish, Newegg) match
 * as strings (rule book §2: 24 = "24"), so a whole JSON number is read as its digits; it was refused
 * ("expected string"). Adapters still hand on text: the ledger's checks take nothing else.
 */
const ReasonCodeFromNumber = z.preprocess(
  // Typed as what a host may send (the input type of CanonicalCancellationInput); any value is read.
  (code: string | number, context) => {
    if (typeof code !== "number") return code;
    if (Number.isSafeInteger(code)) return String(code);
    // 1.5 or 2^60 is no code a marketplace sends: said so, not "expected string" (whole numbers are taken).
    context.addIssue({ code: "custom", message: "must be text, or a whole number (read as its digits)" });
    return z.NEVER;
  },
  ReasonCode,
);

/**
 * The most units one line can hold. Far above any real order line, and low enough that the ledger's
 * sums over millions of lines stay exact in a JavaScript number (below 2^53).
 */
export const MAX_UNITS = 1_000_000_000;
const Units = z.number().int().positive().max(MAX_UNITS);

function partsTotal(parts: readonly { quantity: number }[]): number {
  return parts.reduce((sum, part) => sum + part.quantity, 0);
}

/** The cancellation schemas, built once over each way a reason code may be given. */
function cancellationSchemas<Code extends typeof ReasonCode | typeof ReasonCodeFromNumber>(code: Code) {
  /** A reason as the payload carried it. `derived` marks a code inferred from a flag (Amazon IsBuyerRequestedCancel). */
  const Reason = z.object({
    code,
    label: z.string().max(1024).optional(),
    derived: z.boolean().optional(),
  });

  /** Some of a line's cancelled units and the reason they were cancelled under (see `reasonParts`). */
  const ReasonPart = z.object({
    reason: Reason.nullable(),
    /** Cumulative units cancelled under this reason so far. */
    quantity: Units,
  });

  /** One cancelled line. `quantity` is the cumulative cancelled total so far (rule book §3). */
  const CancelledLine = z
    .object({
      lineId: Id,
      sku: Text(256),
      quantity: Units,
      orderedQuantity: Units.optional(),
      /** The line's reason; for a line with `reasonParts`, the largest part's (what a one-reason view shows). */
      reason: Reason.nullable(),
      /**
       * Set when the marketplace cancelled the line in parts under different reasons (Walmart's status
       * entries): each reason's cumulative units, adding up to `quantity`. The engine decides each part,
       * so units cancelled as out of stock are never restored because more units of the same line were
       * cancelled at the customer's request. The line keeps one id: the ledger's cumulative rule holds.
       */
      reasonParts: z.array(ReasonPart).min(1).max(64).optional(),
    })
    .refine((line) => line.orderedQuantity === undefined || line.quantity <= line.orderedQuantity, {
      message: "cancelled quantity is above the ordered quantity",
      path: ["quantity"],
    })
    .refine((line) => line.reasonParts === undefined || partsTotal(line.reasonParts) === line.quantity, {
      message: "the reason parts do not add up to the cancelled quantity",
      path: ["reasonParts"],
    });

  /** The canonical cancellation every adapter produces and every processor consumes. */
  const Cancellation = z.object({
    marketplace: z.string().min(1).max(64),
    orderId: Id,
    cancellationId: Id.optional(),
    /** ISO-8601 time of the cancellation when the payload says; null when it does not. */
    occurredAt: z.string().max(64).nullable(),
    // The ledger keys a line's cumulative quantity by its id: one id twice is a broken cancellation,
    // not two lines (the second would silently lose its units).
    lines: z
      .array(CancelledLine)
      .min(1)
      .superRefine((lines, ctx) => {
        const seen = new Set<string>();
        lines.forEach((line, index) => {
          if (seen.has(line.lineId))
            ctx.addIssue({ code: "custom", path: [index, "lineId"], message: `lineId "${line.lineId}" appears twice` });
          seen.add(line.lineId);
        });
      }),
    /** Free text kept for the record (the no-reason adapter's note, a staff note). */
    note: z.string().max(4096).optional(),
  });
  return { Reason, ReasonPart, CancelledLine, Cancellation };
}

const handedOn = cancellationSchemas(ReasonCode);

/** A reason as the payload carried it. `derived` marks a code inferred from a flag (Amazon IsBuyerRequestedCancel). */
export const Reason = handedOn.Reason;
export type Reason = z.infer<typeof Reason>;

/** Some of a line's cancelled units and the reason they were cancelled under (see `reasonParts`). */
export const ReasonPart = handedOn.ReasonPart;
export type ReasonPart = z.infer<typeof ReasonPart>;

/** One cancelled line. `quantity` is the cumulative cancelled total so far (rule book §3). */
export const CancelledLine = handedOn.CancelledLine;
export type CancelledLine = z.infer<typeof CancelledLine>;

/** The canonical cancellation every adapter produces and every processor consumes. */
export const Cancellation = handedOn.Cancellation;
export type Cancellation = z.infer<typeof Cancellation>;

/**
 * A canonical cancellation as a host sends it (the engine's `cancellation` input, or a payload in
 * the canonical shape): a `Cancellation`, except that a reason code may be a whole JSON number.
 */
export const CanonicalCancellationInput = cancellationSchemas(ReasonCodeFromNumber).Cancellation;
/** What a host may hand the engine as a canonical cancellation: a `Cancellation`, reason codes text or whole numbers. */
export type CanonicalCancellationInput = z.input<typeof CanonicalCancellationInput>;

/** Why an event was recognised but moves no inventory. */
export const IgnoreReason = z.enum([
  "not_a_cancellation",
  "cancel_requested",
  "cancel_pending",
  "cancel_rejected",
  "partial_refund",
  "fulfilled_by_marketplace",
]);
export type IgnoreReason = z.infer<typeof IgnoreReason>;

/** An event that is understood and deliberately does nothing. */
export const IgnoredEvent = z.object({
  /** What the event was, in the marketplace's words (`BuyerRequestedChange`, `INTENT_TO_CANCEL`). */
  kind: z.string().min(1).max(128),
  reason: IgnoreReason,
  orderId: Id.optional(),
  detail: z.string().max(1024).optional(),
});
export type IgnoredEvent = z.infer<typeof IgnoredEvent>;

/** What `parse` returns. */
export const ParseResult = z.object({
  cancellations: z.array(Cancellation),
  ignored: z.array(IgnoredEvent),
});
export type ParseResult = z.infer<typeof ParseResult>;
