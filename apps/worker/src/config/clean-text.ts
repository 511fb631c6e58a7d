import { isCleanText } from "@restock/core";
import { z } from "zod";

export const CLEAN_TEXT_MESSAGE = "must be well-formed text without NUL characters";

/**
 * Text from a request (a filter, a secret, an account) from `min` to `max` characters, refused
 * with a 400 naming it when it holds NUL or a lone surrogate: PostgreSQL text cannot take NUL (the
 * query failed with a 500 there while SQLite answered), and a lone surrogate would be stored as
 * U+FFFD (a secret that then never matches). Nothing the ledger keys can hold either.
 */
export const cleanText = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().min(min).max(max).refine(isCleanText, CLEAN_TEXT_MESSAGE);
