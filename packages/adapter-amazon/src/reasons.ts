import type { ReasonRow, ReasonTable } from "@restock/core";

const spec = (code: string, label: string, outcome: ReasonRow["outcome"]): ReasonRow => ({ code, label, outcome, origin: "spec" });
const extended = (code: string, label: string, outcome: ReasonRow["outcome"]): ReasonRow => ({ code, label, outcome, origin: "extended" });

/**
 * Amazon's cancellation reasons (rule book §4, Amazon). The spec rows are the six reasons Seller
 * Central shows for `OrderAcknowledgement/Item/CancelReason`; the extended rows are the other
 * cancel-feed `CancelReason` values and the adjustment feed's `AdjustmentReason` values, so a
 * feed written with either vocabulary classifies.
 */
export const amazonReasons: ReasonTable = [
  spec("BuyerCanceled", "Buyer Canceled", "restore"),
  spec("PricingError", "Pricing Error", "restore"),
  spec("ShippingAddressUndeliverable", "Shipping Address Undeliverable", "restore"),
  spec("CustomerExchange", "Customer Exchange", "restore"),
  spec("NoInventory", "No Inventory", "do_not_restore"),
  spec("GeneralAdjustment", "General Adjustment", "ambiguous"),

  extended("CustomerCancel", "Customer Cancel", "restore"),
  extended("PriceError", "Price Error", "restore"),
  extended("Exchange", "Exchange", "restore"),
  extended("CustomerAddressIncorrect", "Customer Address Incorrect", "restore"),
  extended("RiskAssessmentInformationNotValid", "Risk Assessment Information Not Valid", "restore"),
  extended("CannotVerifyInformation", "Cannot Verify Information", "restore"),

  extended("ProductOutofStock", "Product Out of Stock", "do_not_restore"),
  extended("MerchandiseNotReceived", "Merchandise Not Received", "do_not_restore"),

  extended("CarrierCreditDecision", "Carrier Credit Decision", "ambiguous"),
  extended("CarrierCoverageFailure", "Carrier Coverage Failure", "ambiguous"),
  extended("CustomerReturn", "Customer Return", "ambiguous"),
  extended("RejectOrder", "Reject Order", "ambiguous"),
  extended("WeatherDelay", "Weather Delay", "ambiguous"),
  extended("CouldNotShip", "Could Not Ship", "ambiguous"),
  extended("DifferentItem", "Different Item", "ambiguous"),
  extended("Abandoned", "Abandoned", "ambiguous"),
  extended("Other", "Other", "ambiguous"),
  extended("TransactionRecord", "Transaction Record", "ambiguous"),
  extended("Undeliverable", "Undeliverable", "ambiguous"),
  extended("RefusedDelivery", "Refused Delivery", "ambiguous"),
];
