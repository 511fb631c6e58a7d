import type { ParseResult } from "@restock/core";
import { expect, test } from "vitest";
import { holdKeys, OrderHolds, ordersOf } from "../src/store/order-holds.js";

const cancellation = (orderId: string) => ({ marketplace: "walmart", orderId, occurredAt: null, lines: [] });
const ignored = (orderId: string) => ({ kind: "order", reason: "not_a_cancellation", orderId });

test("ordersOf: the first order always; every cancelled order only when there are several", () => {
  const parsed = (cancellations: string[], ignoredOrders: string[] = []) =>
    ({ cancellations: cancellations.map(cancellation), ignored: ignoredOrders.map(ignored) }) as unknown as ParseResult;
  expect(ordersOf(parsed(["A"]))).toEqual({ orderKey: "A", orderKeys: [] });
  // Two cancellations of one order (two messages about it) name one order.
  expect(ordersOf(parsed(["A", "A"]))).toEqual({ orderKey: "A", orderKeys: [] });
  expect(ordersOf(parsed(["A", "B", "A", "C"]))).toEqual({ orderKey: "A", orderKeys: ["A", "B", "C"] });
  // Nothing cancelled: the first ignored order keys the event; ignored orders hold nothing else.
  expect(ordersOf(parsed([], ["Z", "Y"]))).toEqual({ orderKey: "Z", orderKeys: [] });
  expect(ordersOf(parsed(["A"], ["Z"]))).toEqual({ orderKey: "A", orderKeys: [] });
  expect(ordersOf(parsed([]))).toEqual({ orderKey: null, orderKeys: [] });
});

test("holdKeys: one key per (integration, order); several orders when given, else the first", () => {
  expect(holdKeys("wm-1", "A", undefined)).toEqual(["wm-1\u0000A"]);
  expect(holdKeys("wm-1", "A", ["A", "B"])).toEqual(["wm-1\u0000A", "wm-1\u0000B"]);
  expect(holdKeys("wm-1", null, [])).toEqual([]);
});

test("OrderHolds: only an earlier holder holds; the lowest holder of a key counts", () => {
  const holds = new OrderHolds();
  holds.hold(10, ["A", "B"]);
  expect(holds.heldBefore(11, ["B"])).toBe(true);
  expect(holds.heldBefore(10, ["A"])).toBe(false);
  expect(holds.heldBefore(9, ["A", "B"])).toBe(false);
  expect(holds.heldBefore(11, ["C"])).toBe(false);
  holds.hold(5, ["B"]);
  expect(holds.heldBefore(6, ["B"])).toBe(true);
  holds.hold(20, ["A"]);
  expect(holds.heldBefore(15, ["A"])).toBe(true);
});
