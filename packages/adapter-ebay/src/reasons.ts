import type { ReasonRow, ReasonTable } from "@restock/core";

const spec = (code: string, label: string, outcome: ReasonRow["outcome"]): ReasonRow => ({ code, label, outcome, origin: "spec" });
const extended = (code: string, label: string, outcome: ReasonRow["outcome"]): ReasonRow => ({ code, label, outcome, origin: "extended" });

/**
 * eBay's cancellation reasons (rule book §4, eBay): Post-Order `CancelReasonEnum` tokens and
 * Trading `CancelReasonCodeType` values. A code spelled both ways with one normalized key
 * (`ADDRESS_ISSUES` / `AddressIssues`) is one row, since lookups go by that key; spellings with
 * different keys (`BUYER_ASKED_CANCEL` / `BuyerCancelOrder`) are rows sharing a label.
 */
export const ebayReasons: ReasonTable = [
  spec("ADDRESS_ISSUES", "Buyer Address Issue", "restore"), // also AddressIssues
  spec("BUYER_ASKED_CANCEL", "Buyer No Longer Wants Item", "restore"),
  spec("BuyerCancelOrder", "Buyer No Longer Wants Item", "restore"),
  spec("ORDER_UNPAID", "Buyer Did Not Pay For Item", "restore"),
  // Trading has no unpaid reason code: its CancelStatus CancelClosedForCommitment stands for one.
  spec("CancelClosedForCommitment", "Buyer Did Not Pay For Item", "restore"),
  spec("OUT_OF_STOCK_OR_CANNOT_FULFILL", "Seller Ran Out Of Stock", "do_not_restore"), // also OutOfStockOrCannotFulfill
  spec("OutOfStock", "Seller Ran Out Of Stock", "do_not_restore"),

  extended("BUYER_CANCEL_OR_ADDRESS_ISSUE", "Buyer Cancel Or Address Issue", "restore"), // also BuyerCancelOrAddressIssue
  extended("FOUND_CHEAPER_PRICE", "Found Cheaper Price", "restore"), // also FoundCheaperPrice
  extended("ORDER_MISTAKE", "Order Placed By Mistake", "restore"),
  extended("OrderPlacedByMistake", "Order Placed By Mistake", "restore"),
  extended("PRICE_TOO_HIGH", "Price Too High", "restore"), // also PriceTooHigh
  extended("WONT_ARRIVE_IN_TIME", "Won't Arrive In Time", "restore"), // also WontArriveInTime
  extended("WRONG_SHIPPING_ADDRESS", "Wrong Shipping Address", "restore"),
  extended("WRONG_PAYMENT_METHOD", "Wrong Payment Method", "restore"),
  extended("WRONG_SHIPPING_METHOD", "Wrong Shipping Method", "restore"),

  extended("OTHER", "Other", "ambiguous"),
  extended("UNKNOWN", "Unknown", "ambiguous"),
  extended("CustomCode", "Custom Code", "ambiguous"),
  extended("BuyerNoShow", "Buyer No Show", "ambiguous"),
  extended("BuyerRefused", "Buyer Refused", "ambiguous"),
  extended("BuyerNotSchedule", "Buyer Did Not Schedule", "ambiguous"),
  extended("ValetDeliveryIssues", "Valet Delivery Issues", "ambiguous"),
  extended("ValetUnavailable", "Valet Unavailable", "ambiguous"),
];
