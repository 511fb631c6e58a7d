import { type ParseResult, PayloadError, parsePayload, readJson } from "@restock/core";
import { CancelRequestEnvelope, evaluateCancelRequest } from "./cancel-request.js";
import { evaluateKillItem, KillItemRequest } from "./kill-item.js";
import { evaluateOrderInfo, OrderInfoResponse } from "./order-info.js";

const EXPECTED =
  "expected a Newegg GetOrderInfo response (NeweggAPIResponse), a cancel request envelope (UpdateOrderStatus) or a KillItemRequest";

/**
 * Raw Newegg payload → canonical cancellations and ignored events. The payload's top-level key
 * says which of the three it is. Pure; throws only PayloadError.
 */
export function parseNewegg(raw: unknown): ParseResult {
  const json = readJson(raw);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new PayloadError(EXPECTED);
  if ("NeweggAPIResponse" in json) return evaluateOrderInfo(parsePayload(OrderInfoResponse, json));
  if ("UpdateOrderStatus" in json) return evaluateCancelRequest(parsePayload(CancelRequestEnvelope, json));
  if ("OperationType" in json || "RequestBody" in json) return evaluateKillItem(parsePayload(KillItemRequest, json));
  if ("Action" in json) {
    // Newegg's own request body: it has no order number or items, so it cannot be acted on alone.
    throw new PayloadError(
      "a bare cancel request names no order: send the envelope { OrderNumber, UpdateOrderStatus: { Action, Value }, ItemInfoList }",
      "OrderNumber",
    );
  }
  throw new PayloadError(EXPECTED);
}
