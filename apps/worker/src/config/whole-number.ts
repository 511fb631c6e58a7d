import { z } from "zod";

const WHOLE_NUMBER = "must be a whole number written in decimal digits";

/**
 * A whole number from `min` to `max`: a JSON number (config file), or a string of decimal digits
 * (environment, flags, query strings, path parameters). Not Number() or z.coerce: those read " "
 * as 0 (port 0 is any free port), "0x4657" as 18007 and "1e3" as 1000.
 */
export const wholeNumber = (min: number, max: number = Number.MAX_SAFE_INTEGER) =>
  z
    .union([z.number(), z.string()], { error: WHOLE_NUMBER })
    .transform((value, context) => {
      if (typeof value === "number" || /^[0-9]{1,16}$/.test(value)) return Number(value);
      context.issues.push({ code: "custom", message: WHOLE_NUMBER, input: value });
      return z.NEVER;
    })
    .pipe(z.number().int().min(min).max(max));
