import { z } from "zod";

/**
 * The part of Wayfair's cancellation payload this adapter reads. Be strict about the
 * fields you need (ids, quantities) and tolerant of the rest: z.object keeps unknown keys out of
 * the result without rejecting them. Replace this stub with the marketplace's documented shape.
 */
export const CancellationPayload = z.object({
  orderId: z.string().min(1).max(128),
  status: z.string().min(1).max(64),
  reasonCode: z.string().max(128).nullish(),
  occurredAt: z.string().max(64).nullish(),
  lines: z
    .array(
      z.object({
        lineId: z.string().min(1).max(128),
        sku: z.string().min(1).max(256),
        orderedQuantity: z.number().int().positive(),
        cancelledQuantity: z.number().int().nonnegative(),
      }),
    )
    .min(1),
});
export type CancellationPayload = z.infer<typeof CancellationPayload>;
