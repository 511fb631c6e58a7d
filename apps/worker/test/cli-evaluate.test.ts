import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { canonicalCancellation } from "./helpers/payloads.js";
import { runCli } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const fixture = (marketplace: string, name: string) =>
  fileURLToPath(new URL(`../../../packages/adapter-${marketplace}/__fixtures__/${name}`, import.meta.url));

describe("restock evaluate", () => {
  test("a raw Walmart payload: exit 0 and the decision JSON", async () => {
    const run = await runCli([
      "evaluate",
      "--marketplace",
      "walmart",
      "--file",
      fixture("walmart", "orders-api-cancelled-out-of-stock.json"),
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      adapter: expect.stringMatching(/^walmart@\d+\.\d+\.\d+/),
      mode: "smart",
      cancellations: [
        {
          orderId: "1796277083105",
          lines: [
            {
              lineId: "1",
              sku: "MUG-BLUE-12OZ",
              quantity: 2,
              outcome: "do_not_restore",
              restore: false,
              rule: "smart.do_not_restore",
              reasonCode: "SELLER_CANCEL_OUT_OF_STOCK",
              reasonLabel: "Seller Cancel — Out of Stock",
              reasonOrigin: "spec",
            },
          ],
        },
      ],
      ignored: [],
    });
  });

  test("a Walmart line cancelled under two reasons: how many units may be restored, and each reason's part", async () => {
    const run = await runCli(["evaluate", "-m", "walmart", "-f", fixture("walmart", "orders-api-line-cancelled-under-two-reasons.json")]);
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout).cancellations[0].lines[0];
    expect(line).toMatchObject({ quantity: 4, reasonCode: "SELLER_CANCEL_OUT_OF_STOCK", restorableQuantity: 1 });
    expect(
      line.parts.map((part: { quantity: number; restore: boolean; rule: string }) => [part.quantity, part.restore, part.rule]),
    ).toEqual([
      [1, true, "smart.restore"],
      [3, false, "smart.do_not_restore"],
    ]);
  });

  test("--mode always restores the same payload", async () => {
    const run = await runCli([
      "evaluate",
      "-m",
      "walmart",
      "--mode",
      "always",
      "-f",
      fixture("walmart", "orders-api-cancelled-out-of-stock.json"),
    ]);
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout).cancellations[0].lines[0];
    expect([line.restore, line.rule, line.outcome]).toEqual([true, "always", "do_not_restore"]);
    expect(JSON.parse(run.stdout).mode).toBe("always");
  });

  test("an XML feed on stdin", async () => {
    const { readFileSync } = await import("node:fs");
    const xml = readFileSync(fixture("amazon", "order-acknowledgement-no-inventory.xml"), "utf8");
    const run = await runCli(["evaluate", "-m", "amazon"], { input: xml });
    expect(run.code).toBe(0);
    const [cancellation] = JSON.parse(run.stdout).cancellations;
    expect(cancellation.orderId).toBe("113-4417732-9051623");
    expect(cancellation.lines.map((l: { sku: string; quantity: number; rule: string }) => [l.sku, l.quantity, l.rule])).toEqual([
      ["MUG-BLUE-12OZ", 2, "smart.do_not_restore"],
    ]);
  });

  test("a canonical cancellation, and an ignored event", async () => {
    const canonical = canonicalCancellation("etsy", "E-1", [{ lineId: "a", sku: "RING", quantity: 1 }]);
    const run = await runCli(["evaluate", "-m", "etsy"], { input: canonical });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      // Etsy has no adapter of its own: the fallback decided, and the output says which.
      adapter: expect.stringMatching(/^no-reason@\d+\.\d+\.\d+/),
      mode: "smart",
      cancellations: [
        {
          orderId: "E-1",
          lines: [
            {
              lineId: "a",
              sku: "RING",
              quantity: 1,
              outcome: "ambiguous",
              restore: true,
              rule: "smart.no_reason",
              reasonCode: null,
              reasonLabel: null,
              reasonOrigin: "none",
            },
          ],
        },
      ],
      ignored: [],
    });
    const ignored = await runCli(["evaluate", "-m", "walmart", "-f", fixture("walmart", "order-updates-intent-to-cancel.json")]);
    expect(ignored.code).toBe(0);
    expect(JSON.parse(ignored.stdout)).toEqual({
      adapter: expect.stringMatching(/^walmart@/),
      mode: "smart",
      cancellations: [],
      // Which order, on a page of several.
      ignored: [
        {
          kind: "INTENT_TO_CANCEL",
          reason: "cancel_requested",
          orderId: "1796277083503",
          detail: "the customer asked to cancel; the order is not cancelled yet",
        },
      ],
    });
  });

  test("a malformed payload: exit 2 and one line on stderr naming the field", async () => {
    const run = await runCli(["evaluate", "-m", "walmart", "-f", fixture("walmart", "malformed-orders-api-quantity-negative.json")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("order.orderLines.orderLine[0].orderLineStatuses.orderLineStatus[0].statusQuantity.amount");
    const notJson = await runCli(["evaluate", "-m", "etsy"], { input: "{not json" });
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("not valid JSON");
  });

  test("a body in a format the adapter does not take: exit 2, as intake answers it 415", async () => {
    const { readFileSync } = await import("node:fs");
    const xml = readFileSync(fixture("amazon", "order-acknowledgement-no-inventory.xml"), "utf8");
    const run = await runCli(["evaluate", "-m", "walmart"], { input: xml });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe(
      "invalid walmart payload: the walmart adapter takes JSON payloads, and this one is XML (the worker answers such a delivery 415)",
    );
  });

  // A new adapter left out of --adapters: the fallback read its payload and refused it with the
  // fallback's own field names, and nothing said that its own adapter had not run.
  test("a payload the fallback refuses for a marketplace without its own adapter says the fallback read it", async () => {
    const run = await runCli(["evaluate", "-m", "walmart", "--adapters", "@restock/adapter-no-reason"], {
      input: JSON.stringify({ order: { purchaseOrderId: "1796277083105", orderLines: { orderLine: [] } } }),
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain(
      'invalid walmart payload (read by the no-reason fallback: no adapter of marketplace "walmart" is loaded; --adapters or RESTOCK_ADAPTERS loads one): ',
    );
  });

  test("bytes that are not UTF-8: exit 2, not a decision for a garbled SKU", async () => {
    const latin1 = Buffer.from('{"orderId":"U-1","lines":[{"lineId":"1","sku":"CAF\xc9-MUG","quantity":1}]}', "latin1");
    const run = await runCli(["evaluate", "-m", "etsy"], { input: latin1 });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim()).toBe("invalid etsy payload: body is not valid UTF-8 text");
  });

  test("an adapter that breaks its contract on a payload: exit 1 and one line naming the adapter, no stack trace", async () => {
    const flaky = fileURLToPath(new URL("./fixtures/flaky-adapter.mjs", import.meta.url));
    const payload = JSON.stringify({ orderId: "Z-1", lines: [{ lineId: "1", sku: "MUG", quantity: 0 }] });
    const run = await runCli(["evaluate", "-m", "flaky", "--adapters", flaky], { input: payload });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/flaky.*invalid result at cancellations\.0\.lines\.0\.quantity/)]);
  });

  test("a marketplace no loaded adapter serves: exit 64 and one line, no stack trace", async () => {
    const run = await runCli(["evaluate", "-m", "zzz", "--adapters", "@restock/adapter-amazon"], { input: "{}" });
    expect(run.code).toBe(64);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining("zzz")]);
  });

  // evaluate split --adapters on "," alone: " @restock/adapter-no-reason" kept its space, and a trailing comma was an empty package name.
  test("--adapters is a comma list as everywhere else: spaces around items and empty items are dropped", async () => {
    const file = fixture("walmart", "orders-api-cancelled-out-of-stock.json");
    const run = await runCli([
      "evaluate",
      "-m",
      "walmart",
      "--file",
      file,
      "--adapters",
      "@restock/adapter-walmart, @restock/adapter-no-reason,",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).cancellations[0].orderId).toBe("1796277083105");
  });

  test("bad arguments: exit 64", async () => {
    const cases = [
      ["evaluate", "-m", "walmart", "--mode", "sometimes", "-f", fixture("walmart", "orders-api-cancelled-out-of-stock.json")],
      ["evaluate", "-f", fixture("walmart", "orders-api-cancelled-out-of-stock.json")],
      ["evaluate", "-m", "Walmart!", "-f", fixture("walmart", "orders-api-cancelled-out-of-stock.json")],
      ["evaluate", "-m", "walmart", "-f", "/no/such/file.json"],
      ["evaluate", "-m", "walmart", "--bogus"],
    ];
    for (const args of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(" ")).toBe(64);
      expect(run.stderr.length, args.join(" ")).toBeGreaterThan(0);
    }
  });
});

describe("restock evaluate --adapters, with an adapter installed where it runs", () => {
  test("an ESM-only package (exports with only an import condition) loads by name", async () => {
    const dir = tempDir("restock-esm-only-");
    const pkg = join(dir, "node_modules/@acme/restock-adapter-esm-only");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({
        name: "@acme/restock-adapter-esm-only",
        version: "0.3.0",
        type: "module",
        exports: { ".": { import: "./index.js" } },
      }),
    );
    // Shaped like an adapter; the worker validates it with its own defineAdapter.
    writeFileSync(
      join(pkg, "index.js"),
      `export default {
  id: "esm-only", displayName: "ESM only", contractVersion: 1, version: "0.3.0",
  reasons: [{ code: "CUSTOMER", label: "Customer", outcome: "restore", origin: "spec" }],
  parse(raw) {
    const order = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw));
    return { cancellations: [{ marketplace: "esm-only", orderId: order.id, occurredAt: null,
      lines: [{ lineId: "1", sku: order.sku, quantity: 1, reason: { code: "CUSTOMER" } }] }], ignored: [] };
  },
};
`,
    );
    writeFileSync(join(dir, "order.json"), JSON.stringify({ id: "E-1", sku: "MUG" }));
    const run = await runCli(
      ["evaluate", "--marketplace", "esm-only", "--adapters", "@acme/restock-adapter-esm-only", "--file", "order.json"],
      { cwd: dir },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      cancellations: [{ orderId: "E-1", lines: [{ sku: "MUG", outcome: "restore", rule: "smart.restore" }] }],
    });
  });
});
