import { MAX_UNITS } from "@restock/core/fields";
import { z } from "zod";

/** Order numbers and product ids: strings in Reverb's JSON, numbers accepted too. */
export const Id = z
  .union([z.string().trim().min(1).max(256), z.int().nonnegative()], { error: "must be an id (text or a whole number)" })
  .transform(String);

/** An order's units: a whole number from 1 to MAX_UNITS, the canonical cancellation's bounds. */
export const Quantity = z.int().positive().max(MAX_UNITS);

/** Order statuses and refund request states (`cancelled`, `approved`, ...). */
export const Word = z.string().trim().min(1).max(64);

/** Reverb money `{ amount: "1000.00", currency, ... }`; `amount` may also be a number. */
export const Money = z.object({
  amount: z.union(
    [
      z.number().nonnegative(),
      z
        .string()
        .trim()
        .regex(/^\d{1,12}(\.\d{1,6})?$/)
        .transform(Number),
    ],
    {
      error: "must be a non-negative amount (a number or a decimal string)",
    },
  ),
});

/** Timestamps are informative only: any short string is accepted, iso-instant decides whether it is usable. */
export const Timestamp = z.string().max(64).nullish();

// Amounts are compared in cents.
export const cents = (amount: number) => Math.round(amount * 100);
export const money = (amountCents: number) => (amountCents / 100).toFixed(2);
