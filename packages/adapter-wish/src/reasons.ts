import type { Outcome, Reason, ReasonRow, ReasonTable } from "@restock/core";

/** One row per code: a spec row listing a numeric code, its name and a legacy code becomes three rows with one label. */
function rows(origin: ReasonRow["origin"], label: string, outcome: Outcome, ...codes: string[]): ReasonRow[] {
  return codes.map((code) => ({ code, label, outcome, origin }));
}

const spec = (label: string, outcome: Outcome, ...codes: string[]) => rows("spec", label, outcome, ...codes);
const extended = (label: string, outcome: Outcome, ...codes: string[]) => rows("extended", label, outcome, ...codes);

/**
 * Wish's refund reasons (rule book §4, Wish). Wish has two code systems, numeric `refund_reason`
 * codes and UPPER_SNAKE names, and both appear in the table so either form classifies.
 */
export const wishReasons: ReasonTable = [
  ...spec("Item Returned to Sender", "restore", "ITEM_RETURNED_TO_SENDER", "32"),
  ...spec("Shipping Taking Too Long", "restore", "SHIPPING_TAKING_TOO_LONG", "20"),
  ...spec("Item Does Not Fit", "restore", "ITEM_DOES_NOT_FIT", "22", "8"),
  ...spec("Received Wrong Item", "restore", "RECEIVED_WRONG_ITEM", "23", "7"),
  ...spec("Wrong Color", "restore", "WRONG_COLOR", "1001"),
  ...spec("Product Listing Missing Info", "restore", "PRODUCT_LISTING_MISSING_INFO", "1004"),
  ...spec("Item is Damaged", "do_not_restore", "ITEM_IS_DAMAGED", "25", "3"),
  ...spec("Item is Counterfeit", "do_not_restore", "ITEM_IS_COUNTERFEIT", "24"),
  ...spec("Item Does Not Work as Described", "do_not_restore", "ITEM_DOES_NOT_WORK_AS_DESCRIBED", "26"),
  ...spec("Item Marked Delivered but Did Not Arrive", "do_not_restore", "ITEM_MARKED_DELIVERED_BUT_DID_NOT_ARRIVE", "35"),
  // Legacy `0` is named NO_MORE_INVENTORY in Wish's old SDK; the rule book lists both with this row.
  ...spec("Merchant Out of Stock", "do_not_restore", "MERCHANT_OUT_OF_STOCK", "0", "NO_MORE_INVENTORY"),
  ...spec("Empty Package", "do_not_restore", "EMPTY_PACKAGE", "1006"),
  ...spec("Unable to Ship", "ambiguous", "UNABLE_TO_SHIP", "1"),
  ...spec("Item Does Not Match Listing", "ambiguous", "ITEM_DOES_NOT_MATCH_LISTING", "27"),
  ...spec("Merchant Sent to Wrong Address", "ambiguous", "MERCHANT_SENT_TO_WRONG_ADDRESS", "30"),
  ...spec("Replacement Never Received", "ambiguous", "REPLACEMENT_NEVER_RECEIVED"),
  ...spec("Item is Poor Quality", "ambiguous", "ITEM_IS_POOR_QUALITY", "1002"),
  ...spec("Incomplete Order", "ambiguous", "INCOMPLETE_ORDER", "33"),
  ...spec("Item Did Not Meet Expectations", "ambiguous", "ITEM_DID_NOT_MEET_EXPECTATIONS", "1005"),
  ...spec("Received Note from Merchant", "ambiguous", "RECEIVED_NOTE_FROM_MERCHANT"),

  ...extended("Customer Request", "restore", "CUSTOMER_REQUEST", "2"),
  ...extended("Accidental Order", "restore", "18"),
  ...extended("User Entered Invalid Address", "restore", "USER_ENTERED_INVALID_ADDRESS", "31"),
  // `-1` shares its normalized key ("1") with Unable to Ship, of the same outcome: matched exactly, it is Other.
  ...extended("Other", "ambiguous", "OTHER", "-1"),
  ...extended("Late Arrival or Missing", "ambiguous", "LATE_ARRIVAL_OR_MISSING", "9"),
  ...extended("Store Unable to Fulfill Order", "ambiguous", "34"),
  // Logistics refund reasons: the goods are probably not back, but the rule book leaves them ambiguous.
  ...extended("Item Never Arrived", "ambiguous", "ITEM_NEVER_ARRIVED"),
  ...extended("Not Qualified Shipping Provider", "ambiguous", "NOT_QUALIFIED_SHIPPING_PROVIDER"),
  ...extended("FBW Failed to Fulfill Due to Carrier Return", "ambiguous", "FBW_FAILED_TO_FULFILL_DUE_TO_CARRIER_RETURN"),
  ...extended("EPC Overweight", "ambiguous", "EPC_OVERWEIGHT"),
  ...extended("EPC Oversize", "ambiguous", "EPC_OVERSIZE"),
  ...extended("EPC Last Mile Carriers Unable to Ship", "ambiguous", "EPC_LAST_MILE_CARRIERS_UNABLE_TO_SHIP"),
  ...extended("EPC Overvalue", "ambiguous", "EPC_OVERVALUE"),
  ...extended("Item Held at Customs", "ambiguous", "ITEM_HELD_AT_CUSTOMS"),
  // Quality refund reasons.
  ...extended("Misleading Listing", "ambiguous", "MISLEADING_LISTING"),
  ...extended("Item is Dangerous", "ambiguous", "ITEM_IS_DANGEROUS"),
  ...extended("Incorrect Quantity of Items", "ambiguous", "INCORRECT_QUANTITY_OF_ITEMS"),
  ...extended("Missing Item or Parts", "ambiguous", "MISSING_ITEM_OR_PARTS"),
  ...extended("Store Sent the Wrong Size", "ambiguous", "STORE_SENT_THE_WRONG_SIZE"),
  ...extended("Product Malfunction", "ambiguous", "PRODUCT_MALFUNCTION"),
];

/** The canonical reason for a raw Wish code: the code as Wish sent it (`-1` is Other, a row of its own). */
export function wishReason(code: string | undefined): Reason | null {
  if (code === undefined) return null;
  return { code };
}
