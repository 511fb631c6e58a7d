import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { canonicalCancellation } from "./helpers/payloads.js";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();
let t: TestWorker;

interface DecisionView {
  id: number;
  integrationId: string;
  orderId: string;
  sku: string;
  outcome: string;
  rule: string;
  decidedAt: string;
}

beforeAll(async () => {
  t = await startWorker(dir);
  for (const [id, marketplace] of [
    ["audit-wm", "walmart"],
    ["audit-wish", "wish"],
  ] as const) {
    await t.request("PUT", `/v1/integrations/${id}`, {
      contentType: "application/json",
      // Walmart's secret names its method (the adapter's checkWebhookSecret).
      body: JSON.stringify({ marketplace, webhookSecret: marketplace === "walmart" ? "hmac:secret-12345" : "secret-12345" }),
    });
  }
  const push = (integration: string, body: string) =>
    t.request("POST", `/v1/integrations/${integration}/cancellations`, { body, contentType: "application/json" });
  for (let n = 1; n <= 5; n++) {
    await push(
      "audit-wm",
      canonicalCancellation("walmart", `W-${n}`, [
        { lineId: "1", sku: "MUG", quantity: 1, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
        { lineId: "2", sku: "PLATE", quantity: 1, reason: n % 2 === 0 ? "SELLER_CANCEL_OUT_OF_STOCK" : "NOT_A_WALMART_CODE" },
      ]),
    );
  }
  await push("audit-wish", canonicalCancellation("wish", "WISH-1", [{ lineId: "1", sku: "MUG", quantity: 1, reason: "25" }]));
  await t.drain();
});
afterAll(() => t.stop());

describe("GET /v1/decisions", () => {
  test("filters by integration, order, SKU, outcome and rule, newest first", async () => {
    const all = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?integration=audit-wm");
    expect(all.decisions).toHaveLength(10);
    expect(all.decisions.map((d) => d.id)).toEqual([...all.decisions.map((d) => d.id)].sort((a, b) => b - a));
    const order = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?order=W-3");
    expect(order.decisions.map((d) => [d.orderId, d.sku, d.rule])).toEqual([
      ["W-3", "PLATE", "smart.unknown_reason"],
      ["W-3", "MUG", "smart.restore"],
    ]);
    const mugs = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?sku=MUG");
    expect(new Set(mugs.decisions.map((d) => d.integrationId))).toEqual(new Set(["audit-wm", "audit-wish"]));
    const withheld = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?outcome=do_not_restore");
    expect(withheld.decisions.map((d) => [d.integrationId, d.orderId])).toEqual([
      ["audit-wish", "WISH-1"],
      ["audit-wm", "W-4"],
      ["audit-wm", "W-2"],
    ]);
    const unknown = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?rule=smart.unknown_reason&integration=audit-wm");
    expect(unknown.decisions.map((d) => d.orderId)).toEqual(["W-5", "W-3", "W-1"]);
  });

  test("time range and cursor pagination", async () => {
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await t.get<{ decisions: unknown[] }>(`/v1/decisions?from=${encodeURIComponent(future)}`)).decisions).toEqual([]);
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(
      (await t.get<{ decisions: unknown[] }>(`/v1/decisions?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)).decisions,
    ).toHaveLength(11);

    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { decisions: DecisionView[]; nextCursor: string | null } = await t.get(
        `/v1/decisions?limit=4${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.decisions.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(11);
    expect(new Set(seen).size).toBe(11);
  });

  test("bad filters get 400 naming the parameter", async () => {
    const response = await t.request("GET", "/v1/decisions?rule=smart.maybe");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { field: string }).field).toBe("rule");
    const yesterday = await t.request("GET", "/v1/decisions?from=yesterday");
    expect(yesterday.status).toBe(400);
    expect(await yesterday.json()).toMatchObject({
      field: "from",
      message: "from: must be an ISO-8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z",
    });
    // A date alone is its midnight UTC.
    expect((await t.get<{ decisions: unknown[] }>("/v1/decisions?from=2999-01-01")).decisions).toEqual([]);
    expect((await t.get<{ decisions: unknown[] }>("/v1/decisions?to=2999-01-01")).decisions.length).toBeGreaterThan(0);
    // Numbers are decimal digits: z.coerce (Number()) read "0x2" as 2, "1e3" as 1000 and " " as 0.
    for (const path of [
      "/v1/decisions?limit=0x2",
      "/v1/decisions?limit=1e3",
      "/v1/decisions?limit=%20",
      "/v1/decisions?event=0x1",
      "/v1/inventory?limit=2.0",
      "/v1/adjustments?cursor=-1",
      "/v1/dead-letters?limit=0x10",
    ]) {
      const bad = await t.request("GET", path);
      expect(bad.status, path).toBe(400);
      expect(((await bad.json()) as { message: string }).message, path).toMatch(/whole number written in decimal digits|>=/);
    }
    expect((await t.request("GET", "/v1/events/0x1")).status).toBe(400);
    expect((await t.request("GET", "/v1/decisions?limit=2")).status).toBe(200);
  });

  test("CSV export: ?format=csv and /v1/decisions.csv, every matching row", async () => {
    for (const path of ["/v1/decisions?format=csv&integration=audit-wm&limit=3", "/v1/decisions.csv?integration=audit-wm"]) {
      const response = await t.request("GET", path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/csv");
      const lines = (await response.text()).trim().split("\n");
      expect(lines[0]).toBe(
        "id,decidedAt,eventId,integrationId,marketplace,account,orderId,lineId,sku,quantity,restoredNow,restore,mode,outcome,rule,reasonCode,reasonLabel,reasonOrigin,reasonDerived,adapterId,adapterVersion,parts",
      );
      expect(lines).toHaveLength(11);
      expect(
        lines.filter((line) =>
          line.includes(",W-4,2,PLATE,1,0,false,smart,do_not_restore,smart.do_not_restore,SELLER_CANCEL_OUT_OF_STOCK,"),
        ),
      ).toHaveLength(1);
    }
  });
});

describe("settings", () => {
  test("list and get never show the secret; unknown is 404", async () => {
    const { integrations } = await t.get<{ integrations: Record<string, unknown>[] }>("/v1/integrations");
    expect(integrations.map((i) => i.id)).toEqual(["audit-wish", "audit-wm"]);
    expect(integrations[0]).toMatchObject({ marketplace: "wish", mode: "smart", account: "audit-wish", hasWebhookSecret: true });
    expect(JSON.stringify(integrations)).not.toContain("secret-12345");
    expect((await t.request("GET", "/v1/integrations/nope")).status).toBe(404);
  });

  test("PUT refuses a secret the marketplace's adapter could never match, naming the forms it reads", async () => {
    const put = (id: string, body: object) =>
      t.request("PUT", `/v1/integrations/${id}`, { contentType: "application/json", body: JSON.stringify(body) });
    // A bare client secret: every Walmart delivery would have failed with 401.
    const bare = await put("settings-wm", { marketplace: "walmart", webhookSecret: "client-secret-1" });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ field: "webhookSecret", message: expect.stringContaining('"hmac:<clientSecret>"') });
    expect((await t.request("GET", "/v1/integrations/settings-wm")).status).toBe(404);
    expect((await put("settings-wm", { marketplace: "walmart", webhookSecret: "hmac:client-secret-1" })).status).toBe(201);
    // Changing the secret of an existing integration is checked against its marketplace too.
    const changed = await put("settings-wm", { webhookSecret: "basic:no-password" });
    expect(changed.status).toBe(400);
    expect(await changed.json()).toMatchObject({ field: "webhookSecret" });
    expect((await put("settings-wm", { webhookSecret: "basic:restock:pass-word" })).status).toBe(200);
    // Adapters without a check take any secret.
    expect((await put("settings-shop", { marketplace: "shopify", webhookSecret: "client-secret-1" })).status).toBe(201);
    // Outer blanks: a token header loses them, and a pasted line break changes every HMAC.
    for (const webhookSecret of ["shpss_0123456789abcdef\n", " woo-secret-123", "woo-secret-123\t"]) {
      const padded = await put("settings-shop", { webhookSecret });
      expect(padded.status, JSON.stringify(webhookSecret)).toBe(400);
      expect(await padded.json()).toMatchObject({ field: "webhookSecret", message: expect.stringContaining("at its start or end") });
    }
  });

  test("PUT creates (mode smart by default), changes the mode, and refuses bad values naming them", async () => {
    const created = await t.request("PUT", "/v1/integrations/settings-1", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "reverb", account: "seller-9" }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      id: "settings-1",
      marketplace: "reverb",
      account: "seller-9",
      mode: "smart",
      hasWebhookSecret: false,
    });
    const changed = await t.request("PUT", "/v1/integrations/settings-1", {
      contentType: "application/json",
      body: JSON.stringify({ mode: "never" }),
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ mode: "never", account: "seller-9" });
    const bad = await t.request("PUT", "/v1/integrations/settings-1", {
      contentType: "application/json",
      body: JSON.stringify({ mode: "sometimes" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe("mode");
    const moved = await t.request("PUT", "/v1/integrations/settings-1", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "wish" }),
    });
    expect(moved.status).toBe(400);
    expect(((await moved.json()) as { field: string }).field).toBe("marketplace");
    const badId = await t.request("PUT", "/v1/integrations/bad%20id", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "wish" }),
    });
    expect(badId.status).toBe(400);
    // The account keys the ledger: NUL, or a lone surrogate (stored as U+FFFD, so two accounts
    // would share one ledger row), is refused naming it.
    for (const account of ["acct\u0000x", "acct\ud800", "acct\ud801"]) {
      const unclean = await t.request("PUT", "/v1/integrations/settings-2", {
        contentType: "application/json",
        body: JSON.stringify({ marketplace: "amazon", account }),
      });
      expect(unclean.status, JSON.stringify(account)).toBe(400);
      expect(await unclean.json()).toMatchObject({ field: "account", message: expect.stringContaining("well-formed text") });
    }
    expect((await t.request("GET", "/v1/integrations/settings-2")).status).toBe(404);
    // JSON sent as text/plain: 415 naming the type, not a schema error on a string body.
    const asText = await t.request("PUT", "/v1/integrations/settings-2", {
      contentType: "text/plain",
      body: JSON.stringify({ marketplace: "amazon", account: "seller-2" }),
    });
    expect(asText.status).toBe(415);
    expect(((await asText.json()) as { message: string }).message).toContain("text/plain");
    // No body at all, labelled text/plain (fetch's POST with body ""), is no body: the route answers.
    const empty = await t.request("POST", "/v1/dead-letters/999999/retry", { contentType: "text/plain;charset=UTF-8", body: "" });
    expect(empty.status).toBe(404);
    expect((await t.request("GET", "/v1/integrations/settings-2")).status).toBe(404);
  });

  test("an integration id of 128 characters, the longest allowed, is managed and receives webhooks", async () => {
    const id = `long-${"x".repeat(123)}`;
    expect(id).toHaveLength(128);
    const created = await t.request("PUT", `/v1/integrations/${id}`, {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "woo", webhookSecret: "long-id-secret" }),
    });
    expect(created.status).toBe(201);
    expect((await t.request("GET", `/v1/integrations/${id}`)).status).toBe(200);
    const body = canonicalCancellation("woo", "LONG-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
    const delivered = await t.request("POST", `/webhooks/${id}`, {
      body,
      contentType: "application/json",
      headers: { "x-restock-token": "long-id-secret" },
      token: false,
    });
    expect(delivered.status).toBe(202);
    // One longer is no id: refused as a bad id (400), not as a long URL (414).
    const tooLong = await t.request("PUT", `/v1/integrations/${id}y`, {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "woo" }),
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ message: expect.stringContaining("must be 1-128 letters") });
    await t.drain();
    const decided = await t.get<{ decisions: DecisionView[] }>(`/v1/decisions?integration=${id}`);
    expect(decided.decisions.map((d) => [d.orderId, d.sku])).toEqual([["LONG-1", "MUG"]]);
  });

  test("legacy import: on → always, off → never, unset → smart; dry run changes nothing; reports what changed", async () => {
    const legacy = [
      { id: "legacy-on", marketplace: "amazon", restoreQtyOnCancel: true },
      { id: "legacy-off", marketplace: "ebay", restoreQtyOnCancel: false },
      { id: "legacy-unset", marketplace: "etsy" },
      { id: "audit-wm", marketplace: "walmart", restoreQtyOnCancel: true },
    ];
    const dry = await t.request("POST", "/v1/integrations/import-legacy?dryRun=true", {
      contentType: "application/json",
      body: JSON.stringify(legacy),
    });
    expect(dry.status).toBe(200);
    expect(((await dry.json()) as { dryRun: boolean }).dryRun).toBe(true);
    expect((await t.request("GET", "/v1/integrations/legacy-on")).status).toBe(404);

    const response = await t.request("POST", "/v1/integrations/import-legacy", {
      contentType: "application/json",
      body: JSON.stringify({ integrations: legacy }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { integrations: unknown[] }).integrations).toEqual([
      { id: "legacy-on", marketplace: "amazon", legacy: true, legacyMode: "always", mode: "always", previousMode: null, change: "created" },
      { id: "legacy-off", marketplace: "ebay", legacy: false, legacyMode: "never", mode: "never", previousMode: null, change: "created" },
      { id: "legacy-unset", marketplace: "etsy", legacy: null, legacyMode: "smart", mode: "smart", previousMode: null, change: "created" },
      // Created without a mode (the default's): the import replaces it.
      {
        id: "audit-wm",
        marketplace: "walmart",
        legacy: true,
        legacyMode: "always",
        mode: "always",
        previousMode: "smart",
        change: "updated",
      },
    ]);
    expect(await t.get("/v1/integrations/legacy-off")).toMatchObject({ mode: "never" });
    const again = await t.request("POST", "/v1/integrations/import-legacy", {
      contentType: "application/json",
      body: JSON.stringify(legacy),
    });
    expect(((await again.json()) as { integrations: { change: string }[] }).integrations.map((row) => row.change)).toEqual([
      "unchanged",
      "unchanged",
      "unchanged",
      "unchanged",
    ]);
    const invalid = await t.request("POST", "/v1/integrations/import-legacy", {
      contentType: "application/json",
      body: JSON.stringify([{ id: "x", marketplace: "amazon", restoreQtyOnCancel: "yes" }]),
    });
    expect(invalid.status).toBe(400);
    // A misspelt key is named as the field, as the CLI names it.
    const misspelt = await t.request("POST", "/v1/integrations/import-legacy", {
      contentType: "application/json",
      body: JSON.stringify({ integrations: [], integration: [{ id: "x", marketplace: "amazon", restoreQtyOnCancel: true }] }),
    });
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ field: "integration", message: expect.stringContaining("integration") });
    // One key twice in a record: Fastify's parser kept the last, and "off" then "on" was imported as Always Restore.
    const twice = await t.request("POST", "/v1/integrations/import-legacy", {
      contentType: "application/json",
      body: '[{"id":"twice","marketplace":"amazon","restoreQtyOnCancel":false,"restoreQtyOnCancel":true}]',
    });
    expect(twice.status).toBe(400);
    expect(await twice.json()).toMatchObject({
      message: expect.stringContaining('the key "restoreQtyOnCancel" appears twice in one object'),
    });
    expect((await t.request("GET", "/v1/integrations/twice")).status).toBe(404);
  });

  test("legacy import keeps a mode chosen in restock since (unless forced), changes nothing on a record without a legacy value, and the history says who set each mode", async () => {
    const importing = (records: unknown[], query = "") =>
      t.request("POST", `/v1/integrations/import-legacy${query}`, { contentType: "application/json", body: JSON.stringify(records) });
    const put = (id: string, body: object) =>
      t.request("PUT", `/v1/integrations/${id}`, { contentType: "application/json", body: JSON.stringify(body) });
    const file = [
      { id: "keep-amz", marketplace: "amazon", restoreQtyOnCancel: true },
      { id: "keep-wms", marketplace: "etsy", restoreQtyOnCancel: false },
      { id: "keep-shop", marketplace: "shopify", restoreQtyOnCancel: null },
    ];
    expect((await importing(file)).status).toBe(200);
    expect(await t.get("/v1/integrations/keep-amz")).toMatchObject({ mode: "always", modeSetBy: "legacy" });
    expect(await t.get("/v1/integrations/keep-shop")).toMatchObject({ mode: "smart", modeSetBy: "default" });
    // The seller moves two of them, and the third (a WMS seller's) to never.
    expect((await put("keep-amz", { mode: "smart" })).status).toBe(200);
    expect((await put("keep-wms", { mode: "smart" })).status).toBe(200);
    expect((await put("keep-shop", { mode: "never" })).status).toBe(200);

    const again = await importing(file);
    expect(again.status).toBe(200);
    const rows = (
      (await again.json()) as { integrations: { id: string; mode: string; legacyMode: string; change: string; why?: string }[] }
    ).integrations;
    expect(rows.map(({ id, mode, legacyMode, change }) => [id, mode, legacyMode, change])).toEqual([
      ["keep-amz", "smart", "always", "kept"],
      ["keep-wms", "smart", "never", "kept"],
      ["keep-shop", "never", "smart", "kept"],
    ]);
    expect(rows[0]!.why).toContain("its mode was set in restock (smart)");
    for (const id of ["keep-amz", "keep-wms"])
      expect(await t.get(`/v1/integrations/${id}`)).toMatchObject({ mode: "smart", modeSetBy: "seller" });
    expect(await t.get("/v1/integrations/keep-shop")).toMatchObject({ mode: "never" });

    // A legacy-set mode is the import's to replace; a record without a value still changes nothing that exists.
    expect((await importing([{ id: "keep-amz2", marketplace: "amazon", restoreQtyOnCancel: true }])).status).toBe(200);
    const unset = await importing([{ id: "keep-amz2", marketplace: "amazon" }]);
    expect(((await unset.json()) as { integrations: { change: string; why: string }[] }).integrations[0]).toMatchObject({
      change: "kept",
      why: expect.stringContaining("no legacy value"),
    });
    const off = await importing([{ id: "keep-amz2", marketplace: "amazon", restoreQtyOnCancel: false }]);
    expect(((await off.json()) as { integrations: { change: string }[] }).integrations[0]!.change).toBe("updated");

    const forced = await importing(file, "?force=true");
    expect(((await forced.json()) as { force: boolean; integrations: { change: string }[] }).integrations.map((row) => row.change)).toEqual(
      ["updated", "updated", "updated"],
    );
    expect(await t.get("/v1/integrations/keep-shop")).toMatchObject({ mode: "smart", modeSetBy: "default" });

    const history = await t.get<{ modeChanges: { from: string | null; to: string; setBy: string; via: string; at: string }[] }>(
      "/v1/integrations/keep-shop/mode-changes",
    );
    expect(history.modeChanges.map(({ from, to, setBy, via }) => [from, to, setBy, via])).toEqual([
      ["never", "smart", "default", "import"],
      ["smart", "never", "seller", "api"],
      [null, "smart", "default", "import"],
    ]);
    expect(Date.parse(history.modeChanges[0]!.at)).toBeGreaterThan(0);
    expect((await t.get<{ modeChanges: unknown[] }>("/v1/integrations/keep-shop/mode-changes?limit=1")).modeChanges).toHaveLength(1);
    expect((await t.request("GET", "/v1/integrations/nope/mode-changes")).status).toBe(404);
    // A count is decimal digits, as everywhere else: not "1e2" (100) nor a space (0).
    for (const limit of ["1e2", "%20"]) {
      const refused = await t.request("GET", `/v1/integrations/keep-shop/mode-changes?limit=${limit}`);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ field: "limit", message: "limit: must be a whole number written in decimal digits" });
    }

    // A field spelled otherwise would read as "unset": refused, naming it, and nothing is applied.
    const misspelt = await importing([{ id: "keep-typo", marketplace: "amazon", restore_qty_on_cancel: false }]);
    expect(misspelt.status).toBe(400);
    expect(await misspelt.json()).toMatchObject({ message: expect.stringContaining("restore_qty_on_cancel") });
    expect((await t.request("GET", "/v1/integrations/keep-typo")).status).toBe(404);
  });

  test("legacy import: refuses the whole file when a record's id or marketplace could not be used, or an id repeats", async () => {
    const importing = (records: unknown[]) =>
      t.request("POST", "/v1/integrations/import-legacy", { contentType: "application/json", body: JSON.stringify(records) });
    const good = { id: "legacy-fine", marketplace: "amazon", restoreQtyOnCancel: true };
    const cases: [unknown, string, string][] = [
      // "Amazon" would miss the Amazon adapter and be served by the fallback, which restores every cancellation.
      [{ id: "legacy-caps", marketplace: "Amazon" }, "integrations.1.marketplace", 'did you mean "amazon"?'],
      [{ id: "legacy shop/1", marketplace: "ebay" }, "integrations.1.id", "letters, digits, dots, dashes or underscores"],
      [
        { id: "legacy-fine", marketplace: "amazon", restoreQtyOnCancel: false },
        "integrations.1.id",
        '"legacy-fine" is also at integrations.0',
      ],
    ];
    for (const [record, field, message] of cases) {
      const response = await importing([good, record]);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { field: string; message: string };
      expect(body.field).toBe(field);
      expect(body.message).toContain(message);
    }
    // Checked before anything is applied: the good record was not created either.
    expect((await t.request("GET", "/v1/integrations/legacy-fine")).status).toBe(404);
    expect((await importing([good])).status).toBe(200);
    expect(await t.get("/v1/integrations/legacy-fine")).toMatchObject({ marketplace: "amazon", mode: "always" });
  });
});

describe("operations", () => {
  test("health, readiness and Prometheus metrics", async () => {
    expect(await (await t.request("GET", "/healthz", { token: false })).json()).toEqual({ status: "ok" });
    expect(await (await t.request("GET", "/readyz", { token: false })).json()).toEqual({ status: "ready" });
    const metrics = await (await t.request("GET", "/metrics", { token: false })).text();
    expect(metrics).toContain('restock_events_received_total{marketplace="walmart",source="api"} 5');
    expect(metrics).toContain('restock_events_processed_total{marketplace="walmart",result="done"} 5');
    expect(metrics).toContain('restock_decisions_total{outcome="do_not_restore",rule="smart.do_not_restore"} 3');
    expect(metrics).toContain('restock_unknown_reason_codes_total{marketplace="walmart",code="NOT_A_WALMART_CODE"} 3');
    expect(metrics).toContain("restock_inbox_depth 0");
    expect(metrics).toContain("restock_inbox_oldest_age_seconds 0");
    expect(metrics).toContain('restock_dead_letters_open{kind="rejected"} 0');
    expect(metrics).toContain('restock_dead_letters_open{kind="failed"} 0');
    expect(metrics).toMatch(/restock_processing_latency_seconds_count\{marketplace="walmart"\} 5/);
  });

  test("reason codes from payloads add at most 100 series per marketplace; later codes count as (other)", async () => {
    await t.request("PUT", "/v1/integrations/codes-wish", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "wish" }),
    });
    // 150 made-up codes, two lines each, and one more than 64 characters long.
    const lines = Array.from({ length: 150 }, (_, n) => ({ lineId: String(n), sku: "MUG", quantity: 1, reason: `MADE-UP-${n}` }));
    const long = { lineId: "long", sku: "MUG", quantity: 1, reason: `LONG-${"x".repeat(100)}` };
    for (const order of ["CODES-1", "CODES-2"]) {
      const pushed = await t.request("POST", "/v1/integrations/codes-wish/cancellations", {
        contentType: "application/json",
        body: canonicalCancellation("wish", order, [...lines, long]),
      });
      expect(pushed.status).toBe(202);
    }
    await t.drain();
    const metrics = await (await t.request("GET", "/metrics", { token: false })).text();
    const series = metrics.split("\n").filter((line) => line.startsWith('restock_unknown_reason_codes_total{marketplace="wish"'));
    // Wish's table knows "25" (the beforeAll push): every series here is a made-up code or (other).
    expect(series).toHaveLength(101);
    expect(series).toContain('restock_unknown_reason_codes_total{marketplace="wish",code="MADE-UP-0"} 2');
    expect(series).toContain('restock_unknown_reason_codes_total{marketplace="wish",code="MADE-UP-99"} 2');
    expect(series).toContain('restock_unknown_reason_codes_total{marketplace="wish",code="(other)"} 102');
    expect(metrics).toContain('restock_unknown_reason_codes_total{marketplace="walmart",code="NOT_A_WALMART_CODE"} 3');
  });
});

describe("GET /v1/events/:id", () => {
  test("shows every decision of an event, past 10,000 lines (two query pages), in line order", async () => {
    const lines = Array.from({ length: 10_001 }, (_, n) => ({ lineId: String(n + 1), sku: `BULK-${n % 7}`, quantity: 1, reason: null }));
    await t.request("PUT", "/v1/integrations/bulk-reverb", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "reverb" }),
    });
    const pushed = await t.request("POST", "/v1/integrations/bulk-reverb/cancellations", {
      body: canonicalCancellation("reverb", "BULK-1", lines),
      contentType: "application/json",
    });
    expect(pushed.status).toBe(202);
    const { eventId } = (await pushed.json()) as { eventId: number };
    await t.drain();
    const event = await t.get<{ status: string; decisions: { lineId: string }[] }>(`/v1/events/${eventId}`);
    expect(event.status).toBe("done");
    expect(event.decisions.map((d) => d.lineId)).toEqual(lines.map((line) => line.lineId));
  });
});

describe("GET /v1/decisions.csv", () => {
  test("a cell a spreadsheet would run as a formula is written as text; the JSON API keeps the value", async () => {
    await t.request("PUT", "/v1/integrations/csv-reverb", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "reverb" }),
    });
    const skus = ['=HYPERLINK("http://example.invalid","x")', "@SUM(1)", "+1", "-2"];
    const lines = skus.map((sku, n) => ({ lineId: String(n + 1), sku, quantity: 1, reason: null }));
    const pushed = await t.request("POST", "/v1/integrations/csv-reverb/cancellations", {
      body: canonicalCancellation("reverb", "CSV-1", lines),
      contentType: "application/json",
    });
    expect(pushed.status).toBe(202);
    await t.drain();
    const csv = await (await t.request("GET", "/v1/decisions.csv?integration=csv-reverb")).text();
    expect(csv).toContain(`,"'=HYPERLINK(""http://example.invalid"",""x"")",`);
    for (const sku of ["'@SUM(1)", "'+1", "'-2"]) expect(csv).toContain(`,${sku},`);
    const json = await t.get<{ decisions: DecisionView[] }>("/v1/decisions?integration=csv-reverb");
    expect(json.decisions.map((d) => d.sku).sort()).toEqual([...skus].sort());
  });
});

describe("GET /v1/events/:id/body", () => {
  test("names the download after the format intake read (XML sent as text/plain, JSON replayed without a Content-Type)", async () => {
    await t.request("PUT", "/v1/integrations/download-amz", {
      contentType: "application/json",
      body: JSON.stringify({ marketplace: "amazon" }),
    });
    const amazonXml = readFileSync(
      fileURLToPath(new URL("../../../packages/adapter-amazon/__fixtures__/order-acknowledgement-no-inventory.xml", import.meta.url)),
      "utf8",
    );
    const walmartJson = canonicalCancellation("walmart", "W-DOWNLOAD", [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }]);
    const event = (integrationId: string, format: "canonical" | "xml", contentType: string | null, text: string) => ({
      integrationId,
      source: "replay" as const,
      format,
      contentType,
      body: Buffer.from(text),
      bodyHash: `download-${format}`,
      orderKey: null,
      receivedAt: Date.now(),
    });
    const receipt = await t.worker.store.appendIntake({
      events: [event("download-amz", "xml", "text/plain", amazonXml), event("audit-wm", "canonical", null, walmartJson)],
      rejections: [],
    });
    const [xml, json] = await Promise.all(receipt.eventIds.map((id) => t.request("GET", `/v1/events/${id}/body`)));
    expect(xml!.headers.get("content-type")).toBe("text/plain");
    expect(xml!.headers.get("content-disposition")).toBe(`attachment; filename="event-${receipt.eventIds[0]}.xml"`);
    expect(await xml!.text()).toBe(amazonXml);
    expect(json!.headers.get("content-type")).toBe("application/octet-stream");
    expect(json!.headers.get("content-disposition")).toBe(`attachment; filename="event-${receipt.eventIds[1]}.json"`);
    // Both apply (nothing is left waiting for the tests after this one).
    await t.drain();
    for (const id of receipt.eventIds) expect((await t.worker.store.getEvent(id))?.status).toBe("done");
  });
});

describe("GET /v1/dead-letters/:id and its body", () => {
  test("a body kept with a Content-Type that is not a valid header value (a replayed line's) comes back as application/octet-stream", async () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const receipt = await t.worker.store.appendIntake({
      events: [],
      rejections: [
        {
          integrationId: "audit-wm",
          source: "replay",
          contentType: "application/json\r\nset-cookie: a=b",
          body,
          error: "body is not valid UTF-8 text",
          field: null,
          receivedAt: Date.now(),
        },
      ],
    });
    const id = receipt.rejectionIds[0]!;
    const response = await t.request("GET", `/v1/dead-letters/${id}/body`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="dead-letter-${id}.bin"`);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
  });

  test("404 naming the letter when there is none; 400 for an id that is not a number; 401 without the token", async () => {
    for (const path of ["/v1/dead-letters/999999", "/v1/dead-letters/999999/body"]) {
      const missing = await t.request("GET", path);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { message: string }).message).toBe("no dead letter 999999");
    }
    expect((await t.request("GET", "/v1/dead-letters/0x1/body")).status).toBe(400);
    expect((await t.request("GET", "/v1/dead-letters/1/body", { token: false })).status).toBe(401);
  });
});

describe("operations: what waits", () => {
  test("/metrics shows how long the earliest waiting event has waited, and the open dead letters by kind", async () => {
    const metric = async (name: string) => {
      const text = await (await t.request("GET", "/metrics", { token: false })).text();
      const line = text.split("\n").find((entry) => entry.startsWith(`${name} `));
      return line === undefined ? undefined : Number(line.slice(name.length + 1));
    };
    expect(await metric("restock_inbox_oldest_age_seconds")).toBe(0);
    // An event that arrived 90 seconds ago and is not processed yet (this worker's processor is not running).
    await t.worker.store.appendIntake({
      events: [
        {
          integrationId: "audit-wm",
          source: "api",
          format: "canonical",
          contentType: "application/json",
          body: Buffer.from(canonicalCancellation("walmart", "W-WAITING", [{ lineId: "1", sku: "MUG", quantity: 1, reason: null }])),
          bodyHash: "waiting",
          orderKey: "W-WAITING",
          receivedAt: Date.now() - 90_000,
        },
      ],
      rejections: [],
    });
    const age = await metric("restock_inbox_oldest_age_seconds");
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
    const rejectedBefore = (await metric('restock_dead_letters_open{kind="rejected"}'))!;
    const refused = await t.request("POST", "/v1/integrations/audit-wm/cancellations", { body: "{", contentType: "application/json" });
    expect(refused.status).toBe(400);
    expect(await metric('restock_dead_letters_open{kind="rejected"}')).toBe(rejectedBefore + 1);
    await t.drain();
    expect(await metric("restock_inbox_oldest_age_seconds")).toBe(0);
  });
});
