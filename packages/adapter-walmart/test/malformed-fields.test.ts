import { readFileSync } from "node:fs";
import { payloadRefusal } from "@restock/core/testing";
import { describe, it } from "vitest";
import { walmartAdapter } from "../src/index.js";

// The kit checks that each malformed-* fixture is refused naming some field; these are the fields
// their names say, so a refusal that names the wrong one (the order id for a bad quantity) fails.
const refusals: [fixture: string, field: string][] = [
  ["malformed-orders-api-line-number-not-string.json", "order.orderLines.orderLine[1].lineNumber"],
  ["malformed-orders-api-order-line-not-array.json", "order.orderLines.orderLine"],
];

describe("malformed fixtures name the field their scenario is about", () => {
  it.each(refusals)("%s names %s", (file, field) => {
    payloadRefusal(walmartAdapter, readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8"), { path: field });
  });
});
