import { readFileSync } from "node:fs";
import { payloadRefusal } from "@restock/core/testing";
import { describe, it } from "vitest";
import adapter from "../src/index.js";

// The kit checks that each malformed-* fixture is refused naming some field; these are the fields
// their names say, so a refusal that names the wrong one (the order id for a bad quantity) fails.
const refusals: [fixture: string, field: string][] = [
  ["malformed-line-quantity-as-string.json", "orders[0].order_lines[0].quantity"],
  ["malformed-missing-order-line-id.json", "order_lines[0].order_line_id"],
];

describe("malformed fixtures name the field their scenario is about", () => {
  it.each(refusals)("%s names %s", (file, field) => {
    payloadRefusal(adapter, readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8"), { path: field });
  });
});
