/**
 * The rule book's normalized key: lower-case, every character other than a-z and 0-9
 * removed. `BuyerCanceled`, `BUYER_CANCELED` and "Buyer Canceled" share one key.
 */
export function normalizeKey(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, "");
}
