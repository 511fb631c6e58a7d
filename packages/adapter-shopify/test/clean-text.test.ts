import { createEngine } from "@restock/core";
import { payloadRefusal } from "@restock/core/testing";
import { describe, expect, it } from "vitest";
import { shopifyAdapter } from "../src/index.js";
import { fixture } from "./fixture.js";

// A SKU or reason code with a lone surrogate (the JSON escape \udc80) would be stored as U+FFFD, so
// two SKUs would become one; NUL separates the parts of the stores' composite keys. Both are a
// PayloadError naming the field, never a result the engine refuses as an adapter error.
const engine = createEngine({ adapters: [shopifyAdapter] });
const evaluate = (body: string) => engine.evaluate({ marketplace: "shopify", mode: "smart", payload: body });
const expectRefusedAt = (body: string, path: string) =>
  payloadRefusal(shopifyAdapter, body, { path, message: /must be well-formed text without NUL characters/ });
/** JSON.stringify writes a lone surrogate as the escape \udc80 and NUL as \u0000, as a hostile body would. */
const body = (payload: unknown) => JSON.stringify(payload);
const restOrder = () => JSON.parse(fixture("orders-cancelled-customer"));
const graphqlOrder = () => JSON.parse(fixture("graphql-order-cancelled-inventory"));
const refund = () => JSON.parse(fixture("refunds-create-line-cancel"));

describe("Shopify SKUs and reason codes that are not well-formed text, or hold NUL, are a PayloadError naming the field", () => {
  it.each(["LONE\udc80", "MUG\u0000BLUE"])("sku %j: REST order, GraphQL order and refund", (sku) => {
    const rest = restOrder();
    rest.line_items[0].sku = sku;
    expect(body(rest)).toMatch(/\\u(dc80|0000)/);
    expectRefusedAt(body(rest), "line_items[0].sku");
    expectRefusedAt(body({ order: rest }), "order.line_items[0].sku");
    const graphql = graphqlOrder();
    graphql.data.order.lineItems.nodes[0].sku = sku;
    expectRefusedAt(body(graphql), "data.order.lineItems.nodes[0].sku");
    const refunded = refund();
    refunded.refund_line_items[0].line_item.sku = sku;
    expectRefusedAt(body(refunded), "refund_line_items[0].line_item.sku");
  });

  it.each(["customer\udc80", "\ud800", "customer\u0000"])("cancel_reason and cancelReason %j", (code) => {
    expectRefusedAt(body({ ...restOrder(), cancel_reason: code }), "cancel_reason");
    const graphql = graphqlOrder();
    graphql.data.order.cancelReason = code;
    expectRefusedAt(body(graphql), "data.order.cancelReason");
  });

  it("a body with ids above 2^53 and a lone surrogate SKU names the SKU", () => {
    const text = fixture("orders-cancelled-big-integer-ids").replace('"sku": "MUG-BLUE-12OZ"', '"sku": "LONE\\udc80"');
    expect(text).toContain('"LONE\\udc80"');
    expectRefusedAt(text, "line_items[0].sku");
    const refundText = fixture("refunds-create-big-integer-ids").replace('"sku": "MUG-BLUE-12OZ"', '"sku": "LONE\\u0000"');
    expectRefusedAt(refundText, "refund_line_items[0].line_item.sku");
  });

  it.each(["5324790137142\u0000", "5324790137142\udc80"])("an order id %j is refused there too (ids are digits)", (id) => {
    expect(payloadRefusal(shopifyAdapter, body({ ...restOrder(), id, admin_graphql_api_id: undefined })).path).toBe("id");
    expect(payloadRefusal(shopifyAdapter, body({ ...restOrder(), admin_graphql_api_id: `gid://shopify/Order/${id}` })).path).toBe(
      "admin_graphql_api_id",
    );
    const graphql = graphqlOrder();
    graphql.data.order.id = `gid://shopify/Order/${id}`;
    expect(payloadRefusal(shopifyAdapter, body(graphql)).path).toBe("data.order.id");
    expect(payloadRefusal(shopifyAdapter, body({ ...refund(), order_id: id })).path).toBe("order_id");
  });

  it("a SKU with a surrogate pair (an emoji), escaped or not, is accepted; ids above 2^53 keep every digit", () => {
    const rest = restOrder();
    rest.line_items[0].sku = "MUG-\u{1F535}";
    expect(evaluate(body(rest)).cancellations[0]?.decisions[0]).toMatchObject({ sku: "MUG-\u{1F535}", quantity: 2 });
    const escaped = body(rest).replace("\u{1F535}", "\\ud83d\\udd35");
    expect(escaped).toContain("\\ud83d\\udd35");
    expect(evaluate(escaped).cancellations[0]?.decisions[0]).toMatchObject({ sku: "MUG-\u{1F535}" });
    const big = fixture("orders-cancelled-big-integer-ids").replace('"sku": "MUG-BLUE-12OZ"', '"sku": "MUG-\\ud83d\\udd35"');
    const [cancellation] = shopifyAdapter.parse(big).cancellations;
    expect(cancellation?.orderId).toBe("820982911946154508");
    expect(cancellation?.lines.map((line) => [line.lineId, line.sku])).toEqual([
      ["866550311766439020", "MUG-\u{1F535}"],
      ["141249953214522974", "COASTER-SET-4"],
    ]);
  });
});
