import { isPayloadError, type PayloadError } from "@restock/core";
import { shopifyAdapter } from "../src/index.js";

/** The PayloadError a body is rejected with; fails the test when it is accepted or throws anything else. */
export function rejection(body: unknown): PayloadError {
  try {
    shopifyAdapter.parse(body);
  } catch (error) {
    if (isPayloadError(error)) return error;
    throw error;
  }
  throw new Error("the payload was accepted");
}
