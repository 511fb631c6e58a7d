// An adapter published outside this repository (examples/adapter-mirakl, built only on
// @restock/core's public API) is listed BY PACKAGE NAME in the worker's configuration, loaded by
// the real `restock serve`, and processes a Mirakl payload end to end over HTTP.
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_ADAPTERS } from "../src/config/schema.js";
import { startServe } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";

const TOKEN = "adapter-by-name-token-0123456789";
const MIRAKL = "@restock-examples/adapter-mirakl";
const fixture = readFileSync(
  fileURLToPath(new URL("../../../examples/adapter-mirakl/__fixtures__/or11-partial-cancel-out-of-stock.json", import.meta.url)),
);

let child: ChildProcess;
let base = "";

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...(init.headers ?? {}) } });
}

beforeAll(async () => {
  const dir = tempDir("restock-by-name-");
  const config = join(dir, "restock.json");
  writeFileSync(
    config,
    JSON.stringify({
      port: 0,
      dbPath: join(dir, "restock.db"),
      apiToken: TOKEN,
      adapters: [...DEFAULT_ADAPTERS, MIRAKL],
      logLevel: "warn",
    }),
  );
  const served = await startServe(["--config", config], { timeoutMs: 30_000 });
  child = served.child;
  base = served.url;
}, 30_000);

afterAll(() => {
  child?.kill("SIGTERM");
});

describe("an outside adapter loaded by package name", () => {
  it("is listed with its version next to the built-in adapters", async () => {
    const response = await api("/v1/adapters");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"mirakl-bestbuy-ca"');
    expect(text).toContain(MIRAKL);
    const version = JSON.parse(
      readFileSync(fileURLToPath(new URL("../../../examples/adapter-mirakl/package.json", import.meta.url)), "utf8"),
    ).version as string;
    expect(text).toContain(version);
  });

  it("processes a Mirakl OR11 payload: the out-of-stock line is withheld by Smart Logic", async () => {
    const created = await api("/v1/integrations/bestbuy-ca", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ marketplace: "mirakl-bestbuy-ca", webhookSecret: "bby-secret-0001" }),
    });
    expect(created.status).toBeLessThan(300);

    const pushed = await api("/v1/integrations/bestbuy-ca/cancellations", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: fixture,
    });
    expect(pushed.status).toBe(202);

    let decisions: Record<string, unknown>[] = [];
    for (let attempt = 0; attempt < 100 && decisions.length === 0; attempt++) {
      const response = await api("/v1/decisions?integration=bestbuy-ca");
      const body = (await response.json()) as { decisions?: Record<string, unknown>[]; items?: Record<string, unknown>[] };
      decisions = body.decisions ?? body.items ?? [];
      if (decisions.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      lineId: "BBYCA-100002-A-1",
      sku: "USB-C-CHARGER-65W",
      quantity: 1,
      restore: false,
      rule: "smart.do_not_restore",
      reasonCode: "21",
      reasonOrigin: "spec",
      adapterId: "mirakl-bestbuy-ca",
    });
  });
});
