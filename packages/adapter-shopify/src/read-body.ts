import { PayloadError } from "@restock/core";
import { isInteger, parse } from "lossless-json";

/**
 * Thrown when an id the adapter needs is above 2^53 and came out of a plain JSON.parse, so its
 * last digits may be wrong. For a body given as text or bytes, `parseShopify` catches it and
 * parses the body again with lossless-json; for an already parsed body it is the error.
 */
export class LostDigitsError extends PayloadError {}

/** lossless-json number parser: integers of 16+ digits (the first length that can pass 2^53) stay digit strings. */
function keepLongIntegers(digits: string): unknown {
  return digits.length >= 16 && isInteger(digits) ? digits : Number(digits);
}

/** Parses a body whose 64-bit ids must keep every digit: they come back as digit strings. */
export function parseLossless(text: string): unknown {
  try {
    return parse(text, null, keepLongIntegers);
  } catch (error) {
    throw new PayloadError(`body is not valid JSON (${(error as Error).message})`);
  }
}
