import { isCleanText } from "@restock/core";
import { MAX_UNITS, z } from "@restock/core/fields";

/** Ids and SKUs key the ledger: well-formed text without NUL, as core's Id and Sku (see isCleanText). */
const CLEAN_TEXT = "must be well-formed text without NUL characters (no lone surrogate escapes, no \\u0000)";
const Text = z.string().trim().min(1).max(256).refine(isCleanText, CLEAN_TEXT);

/** A line's units: a whole number from 1 to MAX_UNITS, the canonical cancellation's bounds. */
const Units = z.int().positive().max(MAX_UNITS);

const Line = z
  .object({
    sku: Text,
    quantity: Units,
    /** Defaults to the SKU; needed only when one order has two lines with the same SKU. */
    lineId: Text.optional(),
    orderedQuantity: Units.optional(),
  })
  .refine((line) => line.orderedQuantity === undefined || line.quantity <= line.orderedQuantity, {
    message: "quantity is above orderedQuantity",
    path: ["quantity"],
  });

/** An ISO-8601 date-time with a zone ("2025-03-04T12:40:25Z", "...+01:00"), normalized to UTC. */
const Instant = z.iso
  .datetime({ offset: true })
  .refine((value) => !Number.isNaN(Date.parse(value)), "is not a real date")
  .transform((value) => new Date(value).toISOString());

/**
 * The canonical cancellation without a reason, as a host builds it for a channel without an
 * adapter of its own: the total cancelled quantity per line so far, and an optional note.
 */
export const NoReasonCancellation = z.compile(
  z
    .object({
      orderId: Text,
      cancellationId: Text.optional(),
      occurredAt: Instant.nullish(),
      /** Free text kept for the record (a buyer's or staff's cancellation note); never classified. */
      note: z.string().max(4096).nullish(),
      /** The channel's name, accepted for the host's convenience; the engine sets the integration's own. */
      marketplace: z.string().trim().min(1).max(64).optional(),
      lines: z.array(Line).min(1).max(1000),
    })
    .superRefine((cancellation, ctx) => {
      const seen = new Set<string>();
      cancellation.lines.forEach((line, index) => {
        const lineId = line.lineId ?? line.sku;
        if (seen.has(lineId)) {
          ctx.addIssue(
            line.lineId === undefined
              ? { code: "custom", message: `SKU "${line.sku}" is on two lines: give each line a lineId`, path: ["lines", index, "sku"] }
              : { code: "custom", message: `lineId "${line.lineId}" appears twice`, path: ["lines", index, "lineId"] },
          );
        }
        seen.add(lineId);
      });
    }),
);
export type NoReasonCancellation = z.infer<typeof NoReasonCancellation>;
