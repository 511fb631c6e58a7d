import { readFileSync } from "node:fs";
import type { Engine, RestorationMode } from "@restock/core";
import { beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { loadAdapters } from "../../src/adapters/load-adapters.js";
import { loadConfig } from "../../src/config/load-config.js";
import { DEFAULT_ADAPTERS, DEFAULT_BATCH_SIZE } from "../../src/config/schema.js";
import { integrationActivity } from "../../src/console/activity.js";
import { createGroupCommit } from "../../src/intake/group-commit.js";
import { createIntake, type Intake, type IntakeResult } from "../../src/intake/intake.js";
import { createLogger } from "../../src/ops/logger.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { prunePayloads } from "../../src/ops/prune-payloads.js";
import { retryDeadLetter } from "../../src/processing/dead-letters.js";
import { createEventEvaluator } from "../../src/processing/evaluate-event.js";
import type { ChangeVia, Integration } from "../../src/settings/integration.js";
import { IntegrationConflict, type Store } from "../../src/store/store.js";
import {
  type BatchOptions,
  CLAIMED_NO_ANSWER,
  CLOCK_AHEAD_MARGIN_MS,
  type EvaluateEvent,
  type NewEvent,
  RETRYING,
} from "../../src/store/types.js";
import { createWorker } from "../../src/worker.js";
import { createIntegrations } from "./create-integrations.js";

/** One test's database: `open` opens a store on it, and again after a close (what a restarted worker sees). */
export interface ContractDatabase {
  /** The kind of store `open` returns. */
  kind: Store["kind"];
  open(): Promise<Store>;
  dispose(): Promise<void>;
  /** Runs one SQL statement on the database from a connection of its own: an operator's hand edit. */
  execute(sql: string): Promise<void>;
  /** Runs `SELECT COUNT(*) FROM <from>` from a connection of its own. */
  count(from: string): Promise<number>;
}

const T0 = Date.UTC(2025, 2, 6, 12, 0, 0);
const logger = createLogger("silent");

interface Line {
  lineId: string;
  sku: string;
  quantity: number;
  reason?: string | null;
}

/** A canonical cancellation, as a host service pushes it. */
function cancellation(marketplace: string, orderId: string, lines: readonly Line[]): string {
  return JSON.stringify({
    marketplace,
    orderId,
    occurredAt: null,
    lines: lines.map((line) => ({ ...line, reason: line.reason ? { code: line.reason } : null })),
  });
}

function fixture(marketplace: string, name: string): string {
  return readFileSync(new URL(`../../../../packages/adapter-${marketplace}/__fixtures__/${name}`, import.meta.url), "utf8");
}

/** A Walmart Orders API order of one line of 3 units, cancelled in the given status entries (units, reason). */
function walmartOrder(purchaseOrderId: string, sku: string, statuses: readonly [number, string][]): string {
  const order = JSON.parse(fixture("walmart", "orders-api-line-cancelled-under-two-reasons.json"));
  order.order.purchaseOrderId = purchaseOrderId;
  const [line] = order.order.orderLines.orderLine;
  line.item.sku = sku;
  line.orderLineQuantity.amount = "3";
  line.orderLineStatuses.orderLineStatus = statuses.map(([units, reason]) => ({
    status: "Cancelled",
    statusQuantity: { unitOfMeasurement: "EACH", amount: String(units) },
    cancellationReason: reason,
  }));
  return JSON.stringify(order);
}

function accepted(result: IntakeResult): number {
  if (result.status !== 202) throw new Error(`expected 202, got ${result.status}: ${"error" in result ? result.error : ""}`);
  return result.eventId;
}

/**
 * The Store contract: what the worker relies on, asserted the same way against every store.
 * `createDatabase` makes a fresh, empty database for each test.
 */
export function registerStoreContract(name: string, createDatabase: () => Promise<ContractDatabase>): void {
  describe(`Store contract: ${name}`, () => {
    let engine: Engine;
    let evaluate: EvaluateEvent;
    beforeAll(async () => {
      engine = (await loadAdapters(DEFAULT_ADAPTERS)).engine;
      evaluate = createEventEvaluator(engine);
    });

    /** A fresh database and a store on it, both closed when the test ends. */
    async function fresh(): Promise<{ store: Store; database: ContractDatabase; opened: Store[] }> {
      const database = await createDatabase();
      const opened: Store[] = [];
      onTestFinished(async () => {
        for (const store of opened) await store.close();
        await database.dispose();
      });
      const store = await database.open();
      opened.push(store);
      return { store, database, opened };
    }

    /** The real intake (validation, group commit) over the store, on a fixed clock. */
    function intakeOn(store: Store, now: () => number = () => T0) {
      const commits = createGroupCommit(store);
      const intake = createIntake({ store, engine, commits, metrics: createMetrics(store), logger, now });
      return {
        intake,
        send: (integrationId: string, body: string, contentType = "application/json") =>
          intake.receive({ integrationId, body, contentType, source: "api" }),
        flush: () => commits.flush(),
      };
    }

    async function addIntegration(store: Store, id: string, marketplace: string, mode: RestorationMode = "smart", account = "acme") {
      // Creates it, or changes its mode from the row as it is (a seller's change).
      const existing = await store.getIntegration(id);
      if (!existing) {
        await createIntegrations(store, [{ id, marketplace, account, mode, webhookSecret: null, createdAt: T0, updatedAt: T0 }]);
        return;
      }
      const integration = { ...existing, mode, account, updatedAt: existing.updatedAt + 1 };
      await store.writeIntegrations([{ integration, readAt: existing.updatedAt, previous: existing, via: "api" }]);
    }

    function batch(now = T0, overrides: Partial<BatchOptions> = {}): BatchOptions {
      return { limit: 100, now, maxAttempts: 3, retryDelayMs: (attempts) => 1000 * attempts, ...overrides };
    }

    /** Fails evaluation for the orders in `broken`; everything else goes to the real engine. */
    function breakable(broken: Set<string>): EvaluateEvent {
      return (event) => {
        const orderId = (JSON.parse(event.body.toString("utf8")) as { orderId: string }).orderId;
        return broken.has(orderId) ? { ok: false, error: `order ${orderId} cannot be evaluated yet` } : evaluate(event);
      };
    }

    /** A write of `integration` made from the row as it was at `readAt` (null: a new integration). */
    const written = (
      integration: Integration,
      readAt: number | null,
      previous: Pick<Integration, "mode" | "modeSetBy"> | null,
      via: ChangeVia = "api",
    ) => ({
      integration,
      readAt,
      previous,
      via,
    });

    test("integrations are created, changed only from the row as it was read, and listed by id", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-2", "walmart", "never", "acme");
      await addIntegration(store, "amz-1", "amazon", "smart", "acme");
      const wm2 = (await store.getIntegration("wm-2"))!;
      expect(wm2).toEqual({
        id: "wm-2",
        marketplace: "walmart",
        account: "acme",
        mode: "never",
        modeSetBy: "seller",
        webhookSecret: null,
        createdAt: T0,
        updatedAt: T0,
      });
      const changed = {
        ...wm2,
        account: "acme-us",
        mode: "always",
        modeSetBy: "legacy",
        webhookSecret: "hmac:secret-1",
        updatedAt: T0 + 60_000,
      } as const;
      await store.writeIntegrations([written(changed, T0, wm2)]);
      expect(await store.getIntegration("wm-2")).toEqual(changed);

      // Made from the row as it was before that change: refused, and nothing of it is kept.
      const stale = { ...wm2, mode: "smart", webhookSecret: null, updatedAt: T0 + 61_000 } as const;
      await expect(store.writeIntegrations([written(stale, T0, wm2)])).rejects.toThrow(IntegrationConflict);
      // Creating an integration that exists is the same conflict: the other writer's row stays.
      await expect(store.writeIntegrations([written({ ...stale, id: "amz-1" }, null, null)])).rejects.toThrow(
        'integration "amz-1" was changed by someone else meanwhile',
      );
      expect(await store.getIntegration("wm-2")).toEqual(changed);
      expect((await store.getIntegration("amz-1"))!.marketplace).toBe("amazon");

      expect((await store.listIntegrations()).map((i) => i.id)).toEqual(["amz-1", "wm-2"]);
      expect(await store.getIntegration("missing")).toBeUndefined();
    });

    test("several integrations are written in one transaction: all of them, or none when one cannot be", async () => {
      const { store } = await fresh();
      const integration = (id: string, mode: RestorationMode, updatedAt = T0): Integration => ({
        id,
        marketplace: "ebay",
        account: "acme",
        mode,
        modeSetBy: "legacy",
        webhookSecret: null,
        createdAt: T0,
        updatedAt,
      });
      await store.writeIntegrations([written(integration("eb-1", "smart"), null, null), written(integration("eb-2", "never"), null, null)]);
      const modes = async () => (await store.listIntegrations()).map((i) => [i.id, i.mode]);
      expect(await modes()).toEqual([
        ["eb-1", "smart"],
        ["eb-2", "never"],
      ]);
      // The second row breaks a NOT NULL column: the first one's change is rolled back with it.
      const broken = { ...integration("eb-3", "always"), marketplace: null as unknown as string };
      await expect(
        store.writeIntegrations([
          written(integration("eb-1", "always", T0 + 1), T0, integration("eb-1", "smart")),
          written(broken, null, null),
        ]),
      ).rejects.toThrow();
      // The second was changed since it was read: the first is rolled back too.
      await expect(
        store.writeIntegrations([
          written(integration("eb-1", "always", T0 + 1), T0, integration("eb-1", "smart")),
          written(integration("eb-2", "smart", T0 + 1), T0 - 1, integration("eb-2", "never")),
        ]),
      ).rejects.toThrow(IntegrationConflict);
      expect(await modes()).toEqual([
        ["eb-1", "smart"],
        ["eb-2", "never"],
      ]);
      expect(await store.listModeChanges("eb-1", 10)).toHaveLength(1);
      await store.writeIntegrations([]);
    });

    test("every new mode is kept in the integration's mode history, newest first", async () => {
      const { store } = await fresh();
      const base: Integration = {
        id: "sh-1",
        marketplace: "shopify",
        account: "acme",
        mode: "smart",
        modeSetBy: "default",
        webhookSecret: null,
        createdAt: T0,
        updatedAt: T0,
      };
      const [created] = await store.writeIntegrations([written(base, null, null, "samples")]);
      // A change of other fields (the secret) adds no entry.
      expect(await store.writeIntegrations([written({ ...base, webhookSecret: "secret-12", updatedAt: T0 + 1 }, T0, base)])).toEqual([
        null,
      ]);
      const imported = { ...base, mode: "never", modeSetBy: "legacy", updatedAt: T0 + 2 } as const;
      await store.writeIntegrations([written(imported, T0 + 1, base, "import")]);
      // A seller saving the mode the import had set makes it theirs (an import keeps it now): an entry.
      const confirmed = { ...imported, modeSetBy: "seller", updatedAt: T0 + 3 } as const;
      await store.writeIntegrations([written(confirmed, T0 + 2, imported, "console")]);
      const [latest] = await store.writeIntegrations([
        written({ ...base, mode: "always", modeSetBy: "seller", updatedAt: T0 + 4 }, T0 + 3, confirmed, "console"),
      ]);
      // Saved again as it is: nothing to record.
      const [again] = await store.writeIntegrations([
        written(
          { ...base, mode: "always", modeSetBy: "seller", updatedAt: T0 + 5 },
          T0 + 4,
          { mode: "always", modeSetBy: "seller" },
          "api",
        ),
      ]);
      expect(again).toBeNull();
      await addIntegration(store, "other", "amazon");

      const history = await store.listModeChanges("sh-1", 10);
      expect(history.map(({ id: _, ...change }) => change)).toEqual([
        { integrationId: "sh-1", at: T0 + 4, from: "never", to: "always", setBy: "seller", via: "console" },
        { integrationId: "sh-1", at: T0 + 3, from: "never", to: "never", setBy: "seller", via: "console" },
        { integrationId: "sh-1", at: T0 + 2, from: "smart", to: "never", setBy: "legacy", via: "import" },
        { integrationId: "sh-1", at: T0, from: null, to: "smart", setBy: "default", via: "samples" },
      ]);
      expect(history[0]!.id).toBeGreaterThan(history[1]!.id);
      // Each write answers with the entry it added: the console shows that one, not the newest.
      expect([latest, created]).toEqual([history[0]!.id, history[3]!.id]);
      expect((await store.listModeChanges("sh-1", 1)).map((change) => change.to)).toEqual(["always"]);
      expect(await store.listModeChanges("missing", 10)).toEqual([]);
    });

    test("a retry scheduled while the clock ran a year ahead is due once the clock is back, and holds its order no longer", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart");
      const intake = intakeOn(store);
      const line = (quantity: number) =>
        cancellation("walmart", "PO-AHEAD", [{ lineId: "1", sku: "KETTLE", quantity, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" }]);
      const first = accepted(await intake.send("wm-1", line(1)));
      const later = accepted(await intake.send("wm-1", line(2)));
      await intake.flush();
      const year = 365 * 24 * 60 * 60 * 1000;
      // Under a clock a year ahead the first event fails: its retry is due a year from the real now.
      const ahead = await store.processBatch(batch(T0 + year, { maxRetryDelayMs: 300_000 }), breakable(new Set(["PO-AHEAD"])));
      expect(ahead.events.map((e) => [e.event.id, e.status])).toEqual([[first, "retry"]]);
      // The clock is set back: a retry due later than the longest delay the worker schedules came from
      // the clock that ran ahead, so it is due now, and the order's later event follows it.
      const back = await store.processBatch(batch(T0 + 60_000, { maxRetryDelayMs: 300_000 }), evaluate);
      expect(back.events.map((e) => [e.event.id, e.status])).toEqual([
        [first, "done"],
        [later, "done"],
      ]);
      const [kettle] = await store.listInventory({ account: "acme", sku: "KETTLE", limit: 1 });
      expect(kettle?.onHand).toBe(2);
    });

    test("a new event received on a clock a minute ahead is due at once, and so is its order's next event from a clock that is right", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart");
      // Two instances on one database: the first's clock runs a minute ahead, so it stamps its event
      // a minute into the future. A new event is due when it arrives, whatever the stamp says.
      const ahead = intakeOn(store, () => T0 + 60_000);
      const right = intakeOn(store, () => T0 + 1_000);
      const line = (quantity: number) =>
        cancellation("walmart", "PO-SKEW", [{ lineId: "1", sku: "MUG", quantity, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" }]);
      const first = accepted(await ahead.send("wm-1", line(1)));
      await ahead.flush();
      const second = accepted(await right.send("wm-1", line(2)));
      await right.flush();
      const report = await store.processBatch(batch(T0 + 2_000, { maxRetryDelayMs: 300_000 }), evaluate);
      expect(report.events.map((e) => [e.event.id, e.status])).toEqual([
        [first, "done"],
        [second, "done"],
      ]);
      const [mug] = await store.listInventory({ account: "acme", sku: "MUG", limit: 1 });
      expect(mug?.onHand).toBe(2);
    });

    test("an order list page keeps the orders it names beyond its first until it is applied (otherOrdersOfEvent)", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart");
      const intake = intakeOn(store);
      const order = (id: string) => JSON.parse(walmartOrder(id, `SKU-${id}`, [[3, "CUSTOMER_REQUESTED_SELLER_TO_CANCEL"]])).order;
      const page = JSON.stringify({
        list: { meta: { totalCount: 3 }, elements: { order: [order("PO-A"), order("PO-C"), order("PO-B")] } },
      });
      const eventId = accepted(await intake.send("wm-1", page));
      await intake.flush();
      expect((await store.getEvent(eventId))?.orderKey).toBe("PO-A");
      expect(await store.otherOrdersOfEvent(eventId)).toEqual(["PO-B", "PO-C"]);
      await store.processBatch(batch(T0), evaluate);
      expect(await store.otherOrdersOfEvent(eventId)).toEqual([]);
      expect(await store.otherOrdersOfEvent(987_654)).toEqual([]);
    });

    test("the store names its kind, and a worker given it takes that kind's batch size without a database URL", async () => {
      const { store, database } = await fresh();
      expect(store.kind).toBe(database.kind);
      await addIntegration(store, "wm-1", "walmart");
      const intake = intakeOn(store);
      const size = DEFAULT_BATCH_SIZE[store.kind];
      const sent = Array.from({ length: size + 1 }, (_, i) =>
        intake.send("wm-1", cancellation("walmart", `B-${i}`, [{ lineId: "1", sku: "MUG", quantity: 1 }])),
      );
      await intake.flush();
      expect(new Set((await Promise.all(sent)).map((result) => result.status))).toEqual(new Set([202]));
      // No databaseUrl in this configuration: the worker must not take the SQLite default for a PostgreSQL store.
      const worker = await createWorker(loadConfig({ flags: { logLevel: "silent" } }), { store });
      expect((await worker.processor.runBatch()).claimed).toBe(size);
      expect((await worker.processor.runBatch()).claimed).toBe(1);
    });

    test("a group commit writes events and rejections together; ids come back in the order of the arrays", async () => {
      const { store } = await fresh();
      const body = (orderId: string) => Buffer.from(cancellation("amazon", orderId, [{ lineId: "1", sku: "MUG", quantity: 1 }]));
      const event = (orderId: string, receivedAt: number): NewEvent => ({
        integrationId: "amz-1",
        source: "api",
        format: "canonical",
        contentType: "application/json",
        body: body(orderId),
        bodyHash: `hash-${orderId}`,
        orderKey: orderId,
        receivedAt,
      });
      const receipt = await store.appendIntake({
        events: [event("A", T0), event("B", T0 + 1), event("C", T0 + 2)],
        rejections: [
          {
            integrationId: "amz-1",
            source: "webhook",
            contentType: "application/json",
            body: new Uint8Array([123, 125]),
            error: "is required",
            field: "Payload.OrderChangeNotification.AmazonOrderId",
            receivedAt: T0 + 3,
          },
        ],
      });

      expect(receipt.eventIds).toHaveLength(3);
      expect(receipt.eventIds).toEqual([...receipt.eventIds].sort((a, b) => a - b));
      expect(new Set(receipt.eventIds).size).toBe(3);
      expect(await store.getEvent(receipt.eventIds[1]!)).toEqual({
        id: receipt.eventIds[1],
        integrationId: "amz-1",
        source: "api",
        format: "canonical",
        contentType: "application/json",
        status: "pending",
        orderKey: "B",
        attempts: 0,
        lastError: null,
        duplicateOf: null,
        receivedAt: T0 + 1,
        processedAt: null,
      });
      expect(await store.inboxDepth()).toBe(3);

      const [letter] = await store.listDeadLetters({ limit: 10 });
      expect(letter).toEqual({
        id: receipt.rejectionIds[0],
        kind: "rejected",
        integrationId: "amz-1",
        eventId: null,
        source: "webhook",
        contentType: "application/json",
        error: "is required",
        field: "Payload.OrderChangeNotification.AmazonOrderId",
        attempts: 0,
        createdAt: T0 + 3,
        retriedAt: null,
        retryResult: null,
      });
      expect((await store.getDeadLetterBody(letter!.id))?.toString("utf8")).toBe("{}");
    });

    test("an accepted delivery is durable: another store on the database sees it, and a restarted one processes it", async () => {
      const { store, database, opened } = await fresh();
      await addIntegration(store, "amz-1", "amazon");
      const intake = intakeOn(store);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          intake.send(
            "amz-1",
            cancellation("amazon", `113-${n}`, [{ lineId: "1", sku: `SKU-${n % 4}`, quantity: 1, reason: "BuyerCanceled" }]),
          ),
        ),
      );
      const ids = results.map(accepted);
      // Concurrent deliveries share group commits (their order among themselves is not defined).
      expect(new Set(ids).size).toBe(40);

      const other = await database.open();
      opened.push(other);
      expect(await other.inboxDepth()).toBe(40);
      expect((await other.getEvent(ids[39]!))?.orderKey).toBe("113-39");

      await store.close();
      opened.splice(opened.indexOf(store), 1);
      const restarted = await database.open();
      opened.push(restarted);
      const report = await restarted.processBatch(batch(T0 + 10), evaluate);
      expect(report.claimed).toBe(40);
      expect(report.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual(
        [...ids].sort((a, b) => a - b).map((id) => [id, "done", 1]),
      );
      expect(await restarted.listInventory({ limit: 10 })).toEqual(
        [0, 1, 2, 3].map((n) => ({ account: "acme", sku: `SKU-${n}`, onHand: 10, updatedAt: T0 + 10 })),
      );
      expect(await restarted.inboxDepth()).toBe(0);
    });

    test("processing decides each line, restores what the rules say and records why", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "smart", "acme");
      const intake = intakeOn(store);
      const id = accepted(
        await intake.send(
          "amz-1",
          cancellation("amazon", "113-1", [
            { lineId: "A1", sku: "MUG-BLUE", quantity: 2, reason: "BuyerCanceled" },
            { lineId: "A2", sku: "COASTER-4", quantity: 1, reason: "NoInventory" },
            { lineId: "A3", sku: "MUG-BLUE", quantity: 1, reason: "NotInTheTable" },
          ]),
        ),
      );

      const report = await store.processBatch(batch(T0 + 50), evaluate);
      expect(report.claimed).toBe(1);
      expect(report.adjustments).toBe(2);
      expect(report.events).toHaveLength(1);
      expect(report.events[0]).toMatchObject({ status: "done", unitsRestored: 3, event: { id, integrationId: "amz-1", mode: "smart" } });

      const decisions = await store.queryDecisions({ eventId: id, limit: 10 });
      expect(
        decisions.map((d) => [d.lineId, d.sku, d.quantity, d.restoredNow, d.restore, d.outcome, d.rule, d.reasonCode, d.reasonOrigin]),
      ).toEqual([
        ["A3", "MUG-BLUE", 1, 1, true, "ambiguous", "smart.unknown_reason", "NotInTheTable", "unknown"],
        ["A2", "COASTER-4", 1, 0, false, "do_not_restore", "smart.do_not_restore", "NoInventory", "spec"],
        ["A1", "MUG-BLUE", 2, 2, true, "restore", "smart.restore", "BuyerCanceled", "spec"],
      ]);
      expect(decisions[2]).toMatchObject({
        eventId: id,
        integrationId: "amz-1",
        marketplace: "amazon",
        account: "acme",
        orderId: "113-1",
        mode: "smart",
        reasonLabel: "Buyer Canceled",
        reasonDerived: false,
        adapterId: "amazon",
        decidedAt: T0 + 50,
      });
      expect(await store.listInventory({ limit: 10 })).toEqual([{ account: "acme", sku: "MUG-BLUE", onHand: 3, updatedAt: T0 + 50 }]);
      const adjustments = await store.listAdjustments({ limit: 10 });
      expect(adjustments.map((a) => [a.sku, a.delta, a.lineId, a.eventId, a.decisionId])).toEqual([
        ["MUG-BLUE", 2, "A1", id, decisions[2]!.id],
        ["MUG-BLUE", 1, "A3", id, decisions[0]!.id],
      ]);
      expect(await store.getEvent(id)).toMatchObject({ status: "done", attempts: 0, processedAt: T0 + 50, lastError: null });
      expect(await store.inboxDepth()).toBe(0);
    });

    test("an event naming several orders applies each; an ignored event is kept with its reason", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "smart", "acme");
      const intake = intakeOn(store);
      const feed = accepted(await intake.send("amz-1", fixture("amazon", "order-acknowledgement-several-messages.xml"), "application/xml"));
      const request = accepted(await intake.send("amz-1", fixture("amazon", "order-change-buyer-requested-change.json")));

      const report = await store.processBatch(batch(), evaluate);
      expect(report.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([
        [feed, "done", 3],
        [request, "done", 0],
      ]);
      const decisions = await store.queryDecisions({ eventId: feed, limit: 10 });
      expect(decisions.map((d) => [d.orderId, d.sku, d.quantity, d.restoredNow, d.reasonCode]).reverse()).toEqual([
        ["113-3306621-4940512", "MUG-BLUE-12OZ", 1, 1, "ShippingAddressUndeliverable"],
        ["113-4417732-5051623", "COASTER-SET-4", 2, 2, "CustomerExchange"],
      ]);
      expect(await store.listIgnored(request)).toEqual([
        expect.objectContaining({ eventId: request, integrationId: "amz-1", reason: "cancel_requested", orderId: "113-4417732-9051623" }),
      ]);
      // The feed's third message accepts an order: recognised, and ignored.
      expect(await store.listIgnored(feed)).toEqual([
        {
          eventId: feed,
          integrationId: "amz-1",
          kind: "OrderAcknowledgement",
          reason: "not_a_cancellation",
          orderId: "113-5528843-6162734",
          detail: "StatusCode Success: the seller accepted the order",
        },
      ]);
      expect(await store.queryDecisions({ eventId: request, limit: 10 })).toEqual([]);
    });

    test("the same body delivered twice applies once, whether in one batch or in two", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      const intake = intakeOn(store);
      const body = cancellation("walmart", "PO-77", [{ lineId: "1", sku: "KETTLE", quantity: 2, reason: "SELLER_CANCEL_PRICING_ERROR" }]);
      const first = accepted(await intake.send("wm-1", body));
      const sameBatch = accepted(await intake.send("wm-1", body));
      const report = await store.processBatch(batch(T0 + 1), evaluate);
      expect(report.events.map((e) => [e.event.id, e.status, e.duplicateOf, e.unitsRestored])).toEqual([
        [first, "done", undefined, 2],
        [sameBatch, "duplicate", first, 0],
      ]);

      const later = accepted(await intake.send("wm-1", body));
      const second = await store.processBatch(batch(T0 + 2), evaluate);
      expect(second.events.map((e) => [e.event.id, e.status, e.duplicateOf])).toEqual([[later, "duplicate", first]]);
      expect(await store.getEvent(later)).toMatchObject({ status: "duplicate", duplicateOf: first, processedAt: T0 + 2 });
      expect((await store.queryDecisions({ limit: 10 })).map((d) => d.eventId)).toEqual([first]);
      expect(await store.listInventory({ limit: 10 })).toEqual([{ account: "acme", sku: "KETTLE", onHand: 2, updatedAt: T0 + 1 }]);
    });

    test("partial cancellations restore only new units; withheld units are never restored later", async () => {
      const { store } = await fresh();
      await addIntegration(store, "shop-1", "shopify", "never", "acme");
      const intake = intakeOn(store);
      const send = async (mug: number, plate: number) =>
        accepted(
          await intake.send(
            "shop-1",
            cancellation("shopify", "gid-1001", [
              { lineId: "L-mug", sku: "MUG", quantity: mug, reason: "customer" },
              { lineId: "L-plate", sku: "PLATE", quantity: plate, reason: "customer" },
            ]),
          ),
        );
      // Mode never: the first 2 mugs and 1 plate are processed but withheld.
      const withheld = await send(2, 1);
      await store.processBatch(batch(T0 + 1), evaluate);
      await addIntegration(store, "shop-1", "shopify", "always", "acme");
      const grown = await send(5, 1);
      const stale = await send(3, 1);
      const report = await store.processBatch(batch(T0 + 2), evaluate);
      expect(report.events.map((e) => [e.event.id, e.event.mode, e.unitsRestored])).toEqual([
        [grown, "always", 3],
        [stale, "always", 0],
      ]);

      const byEvent = async (eventId: number) =>
        (await store.queryDecisions({ eventId, limit: 10 })).map((d) => [d.lineId, d.quantity, d.restoredNow, d.rule]).reverse();
      expect(await byEvent(withheld)).toEqual([
        ["L-mug", 2, 0, "never"],
        ["L-plate", 1, 0, "never"],
      ]);
      expect(await byEvent(grown)).toEqual([
        ["L-mug", 5, 3, "always"],
        ["L-plate", 1, 0, "always"],
      ]);
      expect(await byEvent(stale)).toEqual([
        ["L-mug", 3, 0, "always"],
        ["L-plate", 1, 0, "always"],
      ]);
      expect(await store.listInventory({ limit: 10 })).toEqual([{ account: "acme", sku: "MUG", onHand: 3, updatedAt: T0 + 2 }]);
    });

    test("a Walmart line cancelled under several reasons restores only its restoring units, whichever came first, in one batch or two", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      const intake = intakeOn(store);
      const C = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const send = async (po: string, sku: string, statuses: [number, string][]) =>
        accepted(await intake.send("wm-1", walmartOrder(po, sku, statuses)));
      const restoredBy = async (eventId: number) => (await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow);

      // Two batches: 2 units at the customer's request restore; the out-of-stock unit added later does not.
      const customerFirst = await send("PO-A", "MUG-A", [[2, C]]);
      await store.processBatch(batch(T0 + 1), evaluate);
      const thenStock = await send("PO-A", "MUG-A", [
        [2, C],
        [1, O],
      ]);
      // Reversed: the out-of-stock unit first, then 2 at the customer's request.
      const stockFirst = await send("PO-B", "MUG-B", [[1, O]]);
      await store.processBatch(batch(T0 + 2), evaluate);
      const thenCustomer = await send("PO-B", "MUG-B", [
        [1, O],
        [2, C],
      ]);
      // One batch: what the first event restored counts for the second.
      const sameBatchFirst = await send("PO-C", "MUG-C", [[2, C]]);
      const sameBatchSecond = await send("PO-C", "MUG-C", [
        [2, C],
        [1, O],
      ]);
      // The customer's units in two slices, with an out-of-stock slice between them.
      const split = await send("PO-D", "MUG-D", [
        [1, C],
        [1, O],
      ]);
      const splitAgain = await send("PO-D", "MUG-D", [
        [1, C],
        [1, O],
        [1, C],
      ]);
      const redelivered = await send("PO-D", "MUG-D", [
        [1, C],
        [1, O],
        [1, C],
      ]);
      await store.processBatch(batch(T0 + 3), evaluate);

      expect(await restoredBy(customerFirst)).toEqual([2]);
      expect(await restoredBy(thenStock)).toEqual([0]);
      expect(await restoredBy(stockFirst)).toEqual([0]);
      expect(await restoredBy(thenCustomer)).toEqual([2]);
      expect(await restoredBy(sameBatchFirst)).toEqual([2]);
      expect(await restoredBy(sameBatchSecond)).toEqual([0]);
      expect(await restoredBy(split)).toEqual([1]);
      expect(await restoredBy(splitAgain)).toEqual([1]);
      expect(await store.getEvent(redelivered)).toMatchObject({ status: "duplicate", duplicateOf: splitAgain });
      const onHand = (await store.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand]);
      expect(onHand).toEqual([
        ["MUG-A", 2],
        ["MUG-B", 2],
        ["MUG-C", 2],
        ["MUG-D", 2],
      ]);
      // The audit keeps each part's decision.
      const [decision] = await store.queryDecisions({ eventId: thenCustomer, limit: 1 });
      expect(decision?.parts?.map((part) => [part.quantity, part.restore, part.reasonCode])).toEqual([
        [1, false, O],
        [2, true, C],
      ]);
      expect(decision).toMatchObject({ quantity: 3, reasonCode: C });
      expect((await store.queryDecisions({ eventId: customerFirst, limit: 1 }))[0]?.parts).toBeUndefined();
    });

    // The line's room was what its restoring parts held beyond the units it had restored: after a
    // mode change, withheld units left room an out-of-stock unit took, and restored units took the
    // room of a restoring reason's new units.
    test("a Walmart line cancelled under several reasons, across a mode change: units withheld stay withheld, units restored do not use up another reason's room", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-never", "walmart", "never", "acme");
      await addIntegration(store, "wm-always", "walmart", "always", "acme");
      const intake = intakeOn(store);
      const C = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const send = async (integrationId: string, po: string, sku: string, statuses: [number, string][]) =>
        accepted(await intake.send(integrationId, walmartOrder(po, sku, statuses)));
      const restoredBy = async (eventId: number) => (await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow);

      const withheld = await send("wm-never", "PO-E", "MUG-E", [[2, C]]);
      const restored = await send("wm-always", "PO-F", "MUG-F", [[1, O]]);
      await store.processBatch(batch(T0 + 1), evaluate);
      await addIntegration(store, "wm-never", "walmart", "smart", "acme");
      await addIntegration(store, "wm-always", "walmart", "smart", "acme");
      // The one new unit is out of stock: nothing to restore (the customer's 2 were withheld under never).
      const stockAfterNever = await send("wm-never", "PO-E", "MUG-E", [
        [2, C],
        [1, O],
      ]);
      // 2 new units at the customer's request: both restore (the out-of-stock unit restored under always is not theirs).
      const customerAfterAlways = await send("wm-always", "PO-F", "MUG-F", [
        [1, O],
        [2, C],
      ]);
      await store.processBatch(batch(T0 + 2), evaluate);

      expect(await restoredBy(withheld)).toEqual([0]);
      expect(await restoredBy(restored)).toEqual([1]);
      expect(await restoredBy(stockAfterNever)).toEqual([0]);
      expect(await restoredBy(customerAfterAlways)).toEqual([2]);
      expect((await store.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([["MUG-F", 3]]);
    });

    // A reason is one reason however it is spelled (the rule book matches codes by their normalized
    // key too): keyed by its spelling, the customer's 2 units restored under one spelling were not
    // the customer's units under another, and the out-of-stock unit took their room.
    test("a Walmart line's reason spelled differently in a later event is the same reason: its restored units are not restored again", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      const intake = intakeOn(store);
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const send = async (statuses: [number, string][]) => accepted(await intake.send("wm-1", walmartOrder("PO-S", "MUG-S", statuses)));
      const restoredBy = async (eventId: number) => (await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow);

      const customer = await send([[2, "CUSTOMER_REQUESTED_SELLER_TO_CANCEL"]]);
      await store.processBatch(batch(T0 + 1), evaluate);
      const thenStock = await send([
        [2, "Customer Requested Seller To Cancel"],
        [1, O],
      ]);
      // And in one batch, on another order.
      const second = async (statuses: [number, string][]) => accepted(await intake.send("wm-1", walmartOrder("PO-T", "MUG-T", statuses)));
      const sameBatchFirst = await second([[2, "CUSTOMER_REQUESTED_SELLER_TO_CANCEL"]]);
      const sameBatchSecond = await second([
        [2, "customer_requested_seller_to_cancel"],
        [1, O],
      ]);
      await store.processBatch(batch(T0 + 2), evaluate);

      expect(await restoredBy(customer)).toEqual([2]);
      expect(await restoredBy(thenStock)).toEqual([0]);
      expect(await restoredBy(sameBatchFirst)).toEqual([2]);
      expect(await restoredBy(sameBatchSecond)).toEqual([0]);
      expect((await store.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([
        ["MUG-S", 2],
        ["MUG-T", 2],
      ]);
    });

    // Walmart's webhook names a line cancelled without a reason by its event (PO_LINE_AUTOCANCELLED),
    // its Orders API leaves the reason empty: the same units under two labels. Counted as room of a
    // reason not processed yet, the units the webhook restored let the out-of-stock unit restore.
    test("units a later event of a line shows under another label are not new: only units it adds beyond the line's withheld reasons restore", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      const intake = intakeOn(store);
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const autocancelled = (po: string, sku: string, units: number) => {
        const webhook = JSON.parse(fixture("walmart", "order-updates-po-line-autocancelled.json"));
        webhook.payload.order.purchaseOrderId = po;
        webhook.payload.order.orderLines = [
          {
            lineNumber: "1",
            sku,
            quantity: { unitOfMeasure: "EACH", measurementValue: String(units) },
            status: "CANCELLED",
            cancellationReason: null,
          },
        ];
        return JSON.stringify(webhook);
      };
      const restoredBy = async (eventId: number) => (await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow);

      // 2 units autocancelled (restored), then the Orders API: those 2 without a reason and 1 out of stock.
      const webhook = accepted(await intake.send("wm-1", autocancelled("PO-W", "MUG-W", 2)));
      // 1 unit autocancelled, then the Orders API: 2 without a reason (1 of them new) and 1 out of stock.
      const webhookOne = accepted(await intake.send("wm-1", autocancelled("PO-X", "MUG-X", 1)));
      await store.processBatch(batch(T0 + 1), evaluate);
      const ordersApi = accepted(
        await intake.send(
          "wm-1",
          walmartOrder("PO-W", "MUG-W", [
            [2, ""],
            [1, O],
          ]),
        ),
      );
      const ordersApiOne = accepted(
        await intake.send(
          "wm-1",
          walmartOrder("PO-X", "MUG-X", [
            [2, ""],
            [1, O],
          ]),
        ),
      );
      await store.processBatch(batch(T0 + 2), evaluate);

      expect(await restoredBy(webhook)).toEqual([2]);
      expect(await restoredBy(ordersApi)).toEqual([0]);
      expect(await restoredBy(webhookOne)).toEqual([1]);
      expect(await restoredBy(ordersApiOne)).toEqual([1]);
      expect((await store.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([
        ["MUG-W", 2],
        ["MUG-X", 2],
      ]);
    });

    // Units relabelled at the same total (2 at the customer's request, then the same 2 out of stock)
    // are still the units the line processed: read from the highest decision only, the relabel
    // erased the customer's 2, and when they came back beside 1 new out-of-stock unit, 1 more unit
    // was restored (3 where 2 should be).
    test("units relabelled between events of a line stay processed under each label: a later new unit of a withheld reason restores nothing", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      const intake = intakeOn(store);
      const C = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const restoredBy = async (eventId: number) => (await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow);
      // Each history's events, one batch each; then the same histories again on other orders, all in one batch.
      const histories: [string, [number, string][][], number[]][] = [
        [
          "C",
          [
            [[2, C]],
            [[2, O]],
            [
              [2, C],
              [1, O],
            ],
          ],
          [2, 0, 0],
        ],
        [
          "A",
          [
            [
              [2, C],
              [1, O],
            ],
            [
              [1, C],
              [2, O],
            ],
            [
              [2, C],
              [2, O],
            ],
          ],
          [2, 0, 0],
        ],
        [
          "M",
          [
            [[3, C]],
            [
              [1, C],
              [2, O],
            ],
            [
              [3, C],
              [1, O],
            ],
          ],
          [3, 0, 0],
        ],
      ];
      for (const oneBatch of [false, true]) {
        const sent: [string, number[], number[]][] = [];
        for (const [name, , expected] of histories) sent.push([name, [], expected]);
        for (let step = 0; step < 3; step++) {
          for (const [index, [name, events]] of histories.entries()) {
            const po = `PO-${name}-${oneBatch ? "one" : "many"}`;
            sent[index]![1].push(accepted(await intake.send("wm-1", walmartOrder(po, `MUG-${name}-${oneBatch}`, events[step]!))));
          }
          if (!oneBatch) await store.processBatch(batch(T0 + 1 + step), evaluate);
        }
        if (oneBatch) await store.processBatch(batch(T0 + 10), evaluate);
        for (const [name, eventIds, expected] of sent) {
          const restored = [];
          for (const eventId of eventIds) restored.push(...(await restoredBy(eventId)));
          expect(restored, `${name}${oneBatch ? ", in one batch" : ""}`).toEqual(expected);
        }
      }
    });

    // Merged per reason, a unit relabelled between two restoring reasons counted under both: 2 units
    // counted 4, more than the line had processed, and its 1 new unit was withheld under Always (code review).
    test("units relabelled between reasons that both restore count once: the line's new unit restores", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "always", "acme");
      const intake = intakeOn(store);
      const C = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const O = "SELLER_CANCEL_OUT_OF_STOCK";
      const ids: number[] = [];
      const steps: [number, string][][] = [
        [[2, C]],
        [[2, O]],
        [
          [2, C],
          [1, O],
        ],
      ];
      for (const [step, statuses] of steps.entries()) {
        ids.push(accepted(await intake.send("wm-1", walmartOrder("PO-R", "MUG-R", statuses))));
        await store.processBatch(batch(T0 + 1 + step), evaluate);
      }
      const restored = [];
      for (const eventId of ids) restored.push(...(await store.queryDecisions({ eventId, limit: 10 })).map((d) => d.restoredNow));
      expect(restored).toEqual([2, 0, 1]);
    });

    test("events of one order apply in arrival order, across batches too", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart");
      const intake = intakeOn(store);
      const reason = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const ids: number[] = [];
      for (const [order, quantity] of [
        ["PO-1", 1],
        ["PO-2", 1],
        ["PO-1", 2],
        ["PO-1", 3],
        ["PO-2", 2],
      ] as const) {
        ids.push(accepted(await intake.send("wm-1", cancellation("walmart", order, [{ lineId: "1", sku: "CUP", quantity, reason }]))));
      }
      const first = await store.processBatch(batch(T0, { limit: 2 }), evaluate);
      expect(first.events.map((e) => e.event.id)).toEqual(ids.slice(0, 2));
      const second = await store.processBatch(batch(T0, { limit: 10 }), evaluate);
      expect(second.events.map((e) => [e.event.id, e.unitsRestored])).toEqual([
        [ids[2], 1],
        [ids[3], 1],
        [ids[4], 1],
      ]);
      const decisions = (await store.queryDecisions({ orderId: "PO-1", limit: 10 })).reverse();
      expect(decisions.map((d) => [d.eventId, d.quantity, d.restoredNow])).toEqual([
        [ids[0], 1, 1],
        [ids[2], 2, 1],
        [ids[3], 3, 1],
      ]);
    });

    test("a failing event is retried after its delay; its order's later events wait for it, other orders go on", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart");
      const intake = intakeOn(store);
      const reason = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const send = async (order: string, quantity: number) =>
        accepted(await intake.send("wm-1", cancellation("walmart", order, [{ lineId: "1", sku: `SKU-${order}`, quantity, reason }])));
      const a1 = await send("A", 1);
      const a2 = await send("A", 2);
      const b1 = await send("B", 1);
      const broken = new Set(["A"]);

      const first = await store.processBatch(batch(T0), breakable(broken));
      // The later event of A stays pending in the batch, untouched; B applies.
      expect(first.claimed).toBe(3);
      expect(first.events.map((e) => [e.event.id, e.status])).toEqual([
        [a1, "retry"],
        [b1, "done"],
      ]);
      expect(first.events[0]!.evaluation).toEqual({ ok: false, error: "order A cannot be evaluated yet" });
      expect(await store.getEvent(a1)).toMatchObject({ status: "pending", attempts: 1, lastError: "order A cannot be evaluated yet" });
      expect(await store.getEvent(a2)).toMatchObject({ status: "pending", attempts: 0, lastError: null });
      expect(await store.inboxDepth()).toBe(2);

      // Before the retry is due nothing of A is claimed (A2 waits for A1).
      broken.clear();
      const early = await store.processBatch(batch(T0 + 999), breakable(broken));
      expect(early).toEqual({ claimed: 0, events: [], adjustments: 0 });

      const due = await store.processBatch(batch(T0 + 1000), breakable(broken));
      expect(due.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([
        [a1, "done", 1],
        [a2, "done", 1],
      ]);
      expect(await store.getEvent(a1)).toMatchObject({ status: "done", attempts: 1, lastError: null, processedAt: T0 + 1000 });
    });

    test("an event naming several orders holds each: a later event of any of them waits while it waits for a retry", async () => {
      const { store, database } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "smart");
      const intake = intakeOn(store);
      // The feed cancels lines of X and Y (its first order is X; a third message is ignored).
      const [x, y] = ["113-3306621-4940512", "113-4417732-5051623"];
      const feedXml = fixture("amazon", "order-acknowledgement-several-messages.xml");
      const single = async (order: string, sku: string) =>
        accepted(await intake.send("amz-1", cancellation("amazon", order, [{ lineId: "9", sku, quantity: 1, reason: "NoInventory" }])));
      const failing =
        (ids: Set<number>): EvaluateEvent =>
        (event) =>
          ids.has(event.id) ? { ok: false, error: `event ${event.id} cannot be evaluated yet` } : evaluate(event);
      const statuses = (report: Awaited<ReturnType<Store["processBatch"]>>) => report.events.map((e) => [e.event.id, e.status]);

      // 1. The feed fails: later events of Y (its second order) and of X wait; another order goes on.
      const feed = accepted(await intake.send("amz-1", feedXml, "application/xml"));
      const ofY = await single(y, "Y-LATER");
      const ofX = await single(x, "X-LATER");
      const other = await single("113-0000000-0000001", "OTHER");
      const broken = new Set([feed]);
      expect(statuses(await store.processBatch(batch(T0), failing(broken)))).toEqual([
        [feed, "retry"],
        [other, "done"],
      ]);
      // Before the feed's retry is due, nothing of X or Y is claimed (nor counted: a drain stops).
      // Held events take no room in a batch: with room for one event, the batch passes over the
      // held events of Y and X and applies a later event of another order.
      const another = await single("113-0000000-0000002", "ANOTHER");
      expect(statuses(await store.processBatch(batch(T0 + 500, { limit: 1 }), failing(broken)))).toEqual([[another, "done"]]);
      expect(await store.processBatch(batch(T0 + 999), failing(broken))).toEqual({ claimed: 0, events: [], adjustments: 0 });
      // The feed's two orders are kept beside it while it is pending, and dropped once it applies.
      expect(await database.count("inbox_orders")).toBe(2);
      broken.clear();
      expect(statuses(await store.processBatch(batch(T0 + 1000), failing(broken)))).toEqual([
        [feed, "done"],
        [ofY, "done"],
        [ofX, "done"],
      ]);
      // Y's decisions in the order they were written: the feed's, then the later event's.
      expect((await store.queryDecisions({ orderId: y, limit: 10 })).map((d) => d.eventId).reverse()).toEqual([feed, ofY]);

      // 2. The other way round, and passed on: an event of Y fails; the next feed (X and Y) waits for
      // it, and a later event of X waits for the feed, though no event of X failed.
      const yFirst = await single(y, "Y-FIRST");
      const feedAgain = accepted(await intake.send("amz-1", feedXml.replaceAll("MUG-BLUE-12OZ", "MUG-RED-12OZ"), "application/xml"));
      const xAfter = await single(x, "X-AFTER");
      broken.add(yFirst);
      expect(statuses(await store.processBatch(batch(T0 + 2000), failing(broken)))).toEqual([[yFirst, "retry"]]);
      // Holds carry from one claim page to the next: with room for one event, page 1 passes over the
      // feed (held by yFirst through Y), page 2 over xAfter (held by the feed through X alone), and
      // page 3 applies an event of another order.
      const another2 = await single("113-0000000-0000003", "ANOTHER-2");
      expect(statuses(await store.processBatch(batch(T0 + 2500, { limit: 1 }), failing(broken)))).toEqual([[another2, "done"]]);
      expect(await store.processBatch(batch(T0 + 2999), failing(broken))).toEqual({ claimed: 0, events: [], adjustments: 0 });
      broken.clear();
      expect(statuses(await store.processBatch(batch(T0 + 3000), failing(broken)))).toEqual([
        [yFirst, "done"],
        [feedAgain, "done"],
        [xAfter, "done"],
      ]);
      expect(await store.inboxDepth()).toBe(0);
      expect(await database.count("inbox_orders")).toBe(0);
    });

    test("after maxAttempts an event is dead-lettered; requeued after a fix, it applies once", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart");
      const intake = intakeOn(store);
      const body = cancellation("walmart", "PO-9", [{ lineId: "1", sku: "TOASTER", quantity: 1, reason: "SELLER_CANCEL_PRICING_ERROR" }]);
      expect(await store.oldestPendingAt()).toBeNull();
      const id = accepted(await intake.send("wm-1", body));
      const broken = new Set(["PO-9"]);
      // Waiting, and still waiting while it fails and waits for a retry.
      expect(await store.oldestPendingAt()).toBe(T0);

      expect((await store.processBatch(batch(T0, { maxAttempts: 2 }), breakable(broken))).events[0]!.status).toBe("retry");
      expect(await store.oldestPendingAt()).toBe(T0);
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 0, failed: 0 });
      const last = await store.processBatch(batch(T0 + 1000, { maxAttempts: 2 }), breakable(broken));
      expect(last.events.map((e) => [e.event.id, e.status])).toEqual([[id, "dead"]]);
      expect(await store.getEvent(id)).toMatchObject({ status: "dead", attempts: 2, processedAt: T0 + 1000 });
      expect(await store.inboxDepth()).toBe(0);
      expect(await store.oldestPendingAt()).toBeNull();
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 0, failed: 1 });

      const letters = await store.listDeadLetters({ kind: "failed", limit: 10 });
      expect(letters).toEqual([
        {
          id: letters[0]!.id,
          kind: "failed",
          integrationId: "wm-1",
          eventId: id,
          source: "api",
          contentType: "application/json",
          error: "order PO-9 cannot be evaluated yet",
          field: null,
          attempts: 2,
          createdAt: T0 + 1000,
          retriedAt: null,
          retryResult: null,
        },
      ]);
      const letter = letters[0]!.id;
      expect((await store.getDeadLetterBody(letter))?.toString("utf8")).toBe(body);

      broken.clear();
      expect(await store.requeueDeadLetter(letter, T0 + 5000)).toBe(true);
      expect(await store.requeueDeadLetter(letter, T0 + 5001)).toBe(false);
      // Requeued: the letter is dealt with, and the event waits again (since it first arrived).
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 0, failed: 0 });
      expect(await store.oldestPendingAt()).toBe(T0);
      expect(await store.getEvent(id)).toMatchObject({ status: "pending", attempts: 0, lastError: null, processedAt: null });
      expect(await store.getDeadLetter(letter)).toMatchObject({ retriedAt: T0 + 5000, retryResult: `requeued event ${id}` });
      expect(await store.listDeadLetters({ limit: 10 })).toEqual([]);
      expect((await store.listDeadLetters({ includeRetried: true, limit: 10 })).map((l) => l.id)).toEqual([letter]);

      const replayed = await store.processBatch(batch(T0 + 5000), evaluate);
      expect(replayed.events.map((e) => [e.event.id, e.status, e.unitsRestored])).toEqual([[id, "done", 1]]);
      expect(await store.listInventory({ limit: 10 })).toEqual([{ account: "acme", sku: "TOASTER", onHand: 1, updatedAt: T0 + 5000 }]);
    });

    // The console's 30-day activity replays the window's decisions. A line first cancelled before the
    // window started from 0 there, and its older units counted again as withheld in the window.
    test("lineTotalsBefore: where each line stood before a decision id; the activity counts only what the window added", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-never", "walmart", "never", "acme");
      await addIntegration(store, "wm-other", "walmart", "never", "acme");
      const intake = intakeOn(store);
      const day = 86_400_000;
      const send = async (integrationId: string, order: string, quantity: number) =>
        accepted(await intake.send(integrationId, cancellation("walmart", order, [{ lineId: "1", sku: "MUG", quantity }])));
      // 40 days ago: 2 units of PO-OLD withheld; in the window, the line's total rises to 3 (1 unit more).
      await send("wm-never", "PO-OLD", 2);
      await send("wm-other", "PO-OLD", 5);
      await store.processBatch(batch(T0 - 40 * day), evaluate);
      await send("wm-never", "PO-OLD", 3);
      await send("wm-never", "PO-NEW", 4);
      await store.processBatch(batch(T0), evaluate);

      const [inWindow] = await store.queryDecisions({ integrationId: "wm-never", orderId: "PO-OLD", from: T0 - day, limit: 1 });
      expect(
        await store.lineTotalsBefore("wm-never", [
          { orderId: "PO-OLD", lineId: "1", beforeId: inWindow!.id },
          { orderId: "PO-NEW", lineId: "1", beforeId: inWindow!.id + 100 },
          { orderId: "PO-OLD", lineId: "2", beforeId: inWindow!.id },
          { orderId: "PO-OLD", lineId: "1", beforeId: 1 },
        ]),
      ).toEqual([2, 4, 0, 0]);
      expect(await store.lineTotalsBefore("wm-other", [{ orderId: "PO-OLD", lineId: "1", beforeId: inWindow!.id + 100 }])).toEqual([5]);
      expect(await store.lineTotalsBefore("wm-never", [])).toEqual([]);

      const activity = await integrationActivity(store, "wm-never", T0);
      expect(activity).toMatchObject({ restored: 0, withheld: 1 + 4 });
    });

    test("countUndecided counts the given events that are pending or dead, and only those", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart");
      const intake = intakeOn(store);
      const reason = "CUSTOMER_REQUESTED_SELLER_TO_CANCEL";
      const send = async (order: string) =>
        accepted(await intake.send("wm-1", cancellation("walmart", order, [{ lineId: "1", sku: `SKU-${order}`, quantity: 1, reason }])));
      const dead = await send("X");
      await store.processBatch(batch(T0, { maxAttempts: 1 }), breakable(new Set(["X"])));
      const [done, retry, waiting] = [await send("D"), await send("R"), await send("W")];
      await store.processBatch(batch(T0, { maxAttempts: 2 }), breakable(new Set(["R", "W"])));
      expect(await store.getEvent(done)).toMatchObject({ status: "done" });
      expect(await store.getEvent(dead)).toMatchObject({ status: "dead" });
      expect(await store.countUndecided([done, retry, dead])).toBe(2);
      expect(await store.countUndecided([done])).toBe(0);
      // Another run's undecided event is not counted; an unknown id is none.
      expect(await store.countUndecided([done, dead, 123_456])).toBe(1);
      expect(await store.countUndecided([waiting])).toBe(1);
      expect(await store.countUndecided([])).toBe(0);
    });

    test("an event whose integration row was removed by hand is retried, then dead-lettered saying so, not left waiting", async () => {
      const { store, database } = await fresh();
      await addIntegration(store, "wm-gone", "walmart", "smart");
      await addIntegration(store, "wm-1", "walmart", "smart");
      const intake = intakeOn(store);
      const line = { lineId: "1", sku: "TOASTER", quantity: 1, reason: "SELLER_CANCEL_PRICING_ERROR" };
      const orphan = accepted(await intake.send("wm-gone", cancellation("walmart", "PO-G", [line])));
      const other = accepted(await intake.send("wm-1", cancellation("walmart", "PO-1", [line])));
      await database.execute("DELETE FROM integrations WHERE id = 'wm-gone'");

      const first = await store.processBatch(batch(T0, { maxAttempts: 2 }), evaluate);
      expect(first.events.map((e) => [e.event.id, e.status])).toEqual([
        [orphan, "retry"],
        [other, "done"],
      ]);
      const last = await store.processBatch(batch(T0 + 1000, { maxAttempts: 2 }), evaluate);
      expect(last.events.map((e) => [e.event.id, e.status])).toEqual([[orphan, "dead"]]);
      expect(await store.inboxDepth()).toBe(0);
      const [letter] = await store.listDeadLetters({ kind: "failed", limit: 10 });
      expect(letter).toMatchObject({
        eventId: orphan,
        integrationId: "wm-gone",
        error: expect.stringContaining("integration wm-gone does not exist"),
      });
      expect(await store.listInventory({ limit: 10 })).toEqual([{ account: "acme", sku: "TOASTER", onHand: 1, updatedAt: T0 }]);
    });

    test("dead letters filter by kind and integration, page newest first, and record retries", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart");
      await addIntegration(store, "amz-1", "amazon");
      const intake = intakeOn(store);
      const rejected: number[] = [];
      for (const id of ["wm-1", "amz-1", "wm-1"]) {
        const result = await intake.send(id, '{"not":"a cancellation"}');
        if (result.status !== 400) throw new Error(`expected 400, got ${result.status}`);
        rejected.push(result.rejectionId);
      }
      expect((await store.listDeadLetters({ limit: 10 })).map((l) => l.id)).toEqual([...rejected].reverse());
      expect((await store.listDeadLetters({ integrationId: "wm-1", limit: 10 })).map((l) => l.id)).toEqual([rejected[2], rejected[0]]);
      expect((await store.listDeadLetters({ kind: "failed", limit: 10 })).map((l) => l.id)).toEqual([]);
      const page = await store.listDeadLetters({ limit: 1, beforeId: rejected[2] });
      expect(page.map((l) => l.id)).toEqual([rejected[1]]);
      // A rejection is not in the inbox: it cannot be requeued, only retried through intake.
      expect(await store.requeueDeadLetter(rejected[0]!, T0)).toBe(false);
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 3, failed: 0 });
      expect(await store.claimDeadLetterRetry(rejected[0]!, T0 + 7, T0 + 7 - 60_000)).toBe(true);
      // Held by a retry, it is still open.
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 3, failed: 0 });
      expect(await store.finishDeadLetterRetry(rejected[0]!, T0 + 7, "rejected again as dead letter 99")).toBe(true);
      expect(await store.countOpenDeadLetters()).toEqual({ rejected: 2, failed: 0 });
      expect(await store.getDeadLetter(rejected[0]!)).toMatchObject({ retriedAt: T0 + 7, retryResult: "rejected again as dead letter 99" });
      expect((await store.listDeadLetters({ limit: 10 })).map((l) => l.id)).toEqual([rejected[2], rejected[1]]);
      expect(await store.getDeadLetter(123_456)).toBeUndefined();
      expect(await store.getDeadLetterBody(123_456)).toBeUndefined();
    });

    test("a rejected letter is claimed by one retry at a time; a claim left by a crashed retry goes stale", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart");
      const { intake, send } = intakeOn(store);
      const rejection = async () => {
        const result = await send("wm-1", '{"not":"a cancellation"}');
        if (result.status !== 400) throw new Error(`expected 400, got ${result.status}`);
        return result.rejectionId;
      };
      const letter = await rejection();
      const minute = 60_000;
      expect(await store.claimDeadLetterRetry(letter, T0, T0 - minute)).toBe(true);
      expect(await store.getDeadLetter(letter)).toMatchObject({ retriedAt: T0, retryResult: RETRYING });
      expect(await store.claimDeadLetterRetry(letter, T0 + 1, T0 + 1 - minute)).toBe(false);
      // While a retry holds it, the letter is still listed as open.
      expect((await store.listDeadLetters({ limit: 10 })).map((l) => l.id)).toEqual([letter]);
      // A retry that decided nothing gives the letter back.
      await store.releaseDeadLetterRetry(letter, T0);
      expect(await store.getDeadLetter(letter)).toMatchObject({ retriedAt: null, retryResult: null });
      expect(await store.claimDeadLetterRetry(letter, T0 + 2, T0 + 2 - minute)).toBe(true);
      // The retry holding it crashed: a minute later its claim is stale, and another retry may take it.
      expect(await store.claimDeadLetterRetry(letter, T0 + minute + 1, T0 + 1)).toBe(false);
      expect(await store.claimDeadLetterRetry(letter, T0 + minute + 3, T0 + 3)).toBe(true);
      // The slow first retry, answering at last, gives back only its own claim: the new one stays.
      await store.releaseDeadLetterRetry(letter, T0 + 2);
      expect(await store.getDeadLetter(letter)).toMatchObject({ retriedAt: T0 + minute + 3, retryResult: RETRYING });
      // Nor does it record its result over the claim of the retry that took over.
      expect(await store.finishDeadLetterRetry(letter, T0 + 2, "accepted as event 98")).toBe(false);
      expect(await store.getDeadLetter(letter)).toMatchObject({ retriedAt: T0 + minute + 3, retryResult: RETRYING });
      expect(await store.finishDeadLetterRetry(letter, T0 + minute + 3, "rejected again as dead letter 99")).toBe(true);
      // A recorded retry is final: neither claimed again, however late, nor reopened by a release,
      // nor overwritten by the slow retry finishing after it.
      expect(await store.claimDeadLetterRetry(letter, T0 + 100 * minute, T0 + 99 * minute)).toBe(false);
      await store.releaseDeadLetterRetry(letter, T0 + minute + 3);
      expect(await store.finishDeadLetterRetry(letter, T0 + 2, "accepted as event 98")).toBe(false);
      expect((await store.listDeadLetters({ limit: 10 })).map((l) => l.id)).toEqual([]);
      expect(await store.getDeadLetter(letter)).toMatchObject({
        retriedAt: T0 + minute + 3,
        retryResult: "rejected again as dead letter 99",
      });

      // Two retries of one letter at once (two operators, a double click): one goes through intake.
      const twice = await rejection();
      const before = (await store.listDeadLetters({ includeRetried: true, limit: 100 })).length;
      const results = await Promise.all([retryDeadLetter(store, intake, twice, T0), retryDeadLetter(store, intake, twice, T0)]);
      expect(results.map((r) => r.retried).sort()).toEqual([false, true]);
      // The other found it claimed, or (when the first had finished already) retried.
      expect(results.find((r) => !r.retried)).toMatchObject({ error: expect.stringMatching(/is being retried|was already retried/) });
      // Still malformed, so rejected again: one new letter, not two.
      expect((await store.listDeadLetters({ includeRetried: true, limit: 100 })).length).toBe(before + 1);

      // A retry that outlives its claim: a minute on, another retry takes the letter over and
      // finishes first; the slow one, answering at last, does not write its result over the newer one.
      const slow = await rejection();
      let answer!: () => void;
      const held = new Promise<void>((resolve) => (answer = resolve));
      let sentThrough!: () => void;
      const sent = new Promise<void>((resolve) => (sentThrough = resolve));
      const slowIntake: Intake = {
        async receive(request) {
          sentThrough();
          await held;
          return intake.receive(request);
        },
        admitWebhook: intake.admitWebhook,
      };
      const first = retryDeadLetter(store, slowIntake, slow, T0);
      await sent;
      const takeover = await retryDeadLetter(store, intake, slow, T0 + minute + 1);
      if (!takeover.retried || takeover.kind !== "rejected" || takeover.result.status !== 400) throw new Error("expected a rejection");
      const newer = `rejected again as dead letter ${takeover.result.rejectionId}`;
      expect(await store.getDeadLetter(slow)).toMatchObject({ retriedAt: T0 + minute + 1, retryResult: newer });
      answer();
      expect(await first).toMatchObject({ retried: true, kind: "rejected" });
      expect(await store.getDeadLetter(slow)).toMatchObject({ retriedAt: T0 + minute + 1, retryResult: newer });
    });

    test("pruning drops the bodies of events decided before the cutoff, a window at a time; duplicates are still found", async () => {
      const { store } = await fresh();
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      let clock = T0;
      const intake = intakeOn(store, () => clock);
      const day = 24 * 60 * 60 * 1000;
      const line = (orderId: string, sku: string, quantity: number) =>
        cancellation("walmart", orderId, [{ lineId: "1", sku, quantity, reason: "SELLER_CANCEL_PRICING_ERROR" }]);
      const kettle = line("PO-1", "KETTLE", 2);
      const toaster = line("PO-2", "TOASTER", 1);
      const done = accepted(await intake.send("wm-1", kettle));
      const duplicate = accepted(await intake.send("wm-1", kettle));
      const dead = accepted(await intake.send("wm-1", toaster));
      const first = await store.processBatch(batch(T0 + 1, { maxAttempts: 1 }), breakable(new Set(["PO-2"])));
      expect(first.events.map((e) => [e.event.id, e.status])).toEqual([
        [done, "done"],
        [duplicate, "duplicate"],
        [dead, "dead"],
      ]);
      clock = T0 + 2;
      const recent = accepted(await intake.send("wm-1", line("PO-3", "LAMP", 1)));
      await store.processBatch(batch(T0 + 10 * day), evaluate);
      const pending = accepted(await intake.send("wm-1", line("PO-4", "FAN", 3)));
      clock = T0 + 2 * day;
      const receivedLater = accepted(await intake.send("wm-1", line("PO-5", "MUG", 1)));
      const [letter] = await store.listDeadLetters({ kind: "failed", limit: 10 });

      // Decided at the cutoff is not before it.
      // Nothing is decided before it: the first waiting event (its body may go later) is the first one.
      expect(await store.prunePayloads({ decidedBefore: T0 + 1, afterId: 0, limit: 100 })).toEqual({
        pruned: 0,
        nextAfterId: null,
        firstWaitingId: done,
      });
      // Windows of two events: the first drops both; the second holds the dead event (its body stays for
      // good) and one decided after the cutoff (waiting); the third ends on an event received after
      // the cutoff, so the run ends there.
      const cutoff = { decidedBefore: T0 + day, limit: 2 };
      expect(await store.prunePayloads({ ...cutoff, afterId: 0 })).toEqual({ pruned: 2, nextAfterId: duplicate, firstWaitingId: null });
      expect(await store.prunePayloads({ ...cutoff, afterId: duplicate })).toEqual({
        pruned: 0,
        nextAfterId: recent,
        firstWaitingId: recent,
      });
      expect(await store.prunePayloads({ ...cutoff, afterId: recent })).toEqual({ pruned: 0, nextAfterId: null, firstWaitingId: pending });
      expect(receivedLater).toBeGreaterThan(pending);
      // A whole run again finds nothing more before the cutoff; the next can start before the first
      // waiting event, past the pruned ones and the dead one.
      const again = await prunePayloads(store, 0, { now: T0 + day, step: 1 });
      expect(again).toEqual({ pruned: 0, decidedBefore: T0 + day, complete: true, resumeAfter: recent - 1 });

      // The dead event kept its body; the audit and the ledger are untouched.
      expect((await store.getDeadLetterBody(letter!.id))?.toString("utf8")).toBe(toaster);
      // An event's own body: gone once pruned, kept for the dead one and the one not decided yet.
      expect(await store.getEventBody(done)).toBeUndefined();
      expect((await store.getEventBody(dead))?.toString("utf8")).toBe(toaster);
      expect((await store.getEventBody(pending))?.toString("utf8")).toBe(line("PO-4", "FAN", 3));
      expect(await store.getEventBody(123_456)).toBeUndefined();
      // Its size, without the body: none once pruned.
      expect(await store.getEventBodyBytes(done)).toBeUndefined();
      expect(await store.getEventBodyBytes(dead)).toBe(Buffer.byteLength(toaster));
      expect(await store.getEventBodyBytes(123_456)).toBeUndefined();
      expect((await store.queryDecisions({ limit: 10 })).map((d) => d.eventId)).toEqual([recent, done]);
      expect(await store.getEvent(done)).toMatchObject({ status: "done", processedAt: T0 + 1 });

      // A redelivery of a pruned body is still a duplicate; pending events still apply; the dead one,
      // requeued, applies too.
      expect(await store.requeueDeadLetter(letter!.id, T0 + 11 * day)).toBe(true);
      const redelivered = accepted(await intake.send("wm-1", kettle));
      const later = await store.processBatch(batch(T0 + 11 * day), evaluate);
      expect(later.events.map((e) => [e.event.id, e.status, e.duplicateOf, e.unitsRestored])).toEqual([
        [dead, "done", undefined, 1],
        [pending, "done", undefined, 3],
        [receivedLater, "done", undefined, 1],
        [redelivered, "duplicate", done, 0],
      ]);
      expect((await store.listInventory({ limit: 10 })).map((row) => [row.sku, row.onHand])).toEqual([
        ["FAN", 3],
        ["KETTLE", 2],
        ["LAMP", 1],
        ["MUG", 1],
        ["TOASTER", 1],
      ]);

      // A run a step at a time takes everything decided since, across the event a dead letter points
      // to, which keeps its body for the letter's history.
      // Started where the last run left off, it still finds every body decided since.
      expect(await prunePayloads(store, 0, { now: T0 + 12 * day, step: 1, afterId: again.resumeAfter })).toEqual({
        pruned: 4,
        decidedBefore: T0 + 12 * day,
        complete: true,
        resumeAfter: redelivered,
      });
      expect((await store.getDeadLetterBody(letter!.id))?.toString("utf8")).toBe(toaster);
      // The database keeps where the last run left off: a run without afterId (another process's,
      // restock prune from cron) starts there, not at the oldest event.
      expect(await store.pruneResumePoint()).toBe(redelivered);
      expect(await prunePayloads(store, 0, { now: T0 + 12 * day, step: 1 })).toEqual({
        pruned: 0,
        decidedBefore: T0 + 12 * day,
        complete: true,
        resumeAfter: redelivered,
      });
    });

    test("the prune's resume point only moves forward, and only by a run that started at or before it", async () => {
      const { store } = await fresh();
      expect(await store.pruneResumePoint()).toBe(0);
      await store.advancePruneResumePoint(40);
      await store.advancePruneResumePoint(25);
      expect(await store.pruneResumePoint()).toBe(40);
      // Nothing after 1,000: a run started there ends there, but it passed over 41-1,000 unseen.
      expect(await prunePayloads(store, 0, { now: T0, afterId: 1_000 })).toMatchObject({ resumeAfter: 1_000 });
      expect(await store.pruneResumePoint()).toBe(40);
    });

    // After a restore from a backup, units decided after the copy are decided again as new
    // adjustments under new keys: the host, deduping on keys, applied them twice (backup review).
    // The line's running total lets it keep a high-water mark per line instead.
    test("a claimed adjustment carries its line's restored units so far (this one included, withheld decisions not)", async () => {
      const { store } = await fresh();
      await addIntegration(store, "shop-1", "shopify", "always", "acme");
      await store.setHostSink(true, T0, "test");
      const intake = intakeOn(store);
      const line = (quantity: number, sku = "MUG") => cancellation("shopify", "ORD-LRT", [{ lineId: "1", sku, quantity }]);
      accepted(await intake.send("shop-1", line(1)));
      await store.processBatch(batch(T0), evaluate);
      await addIntegration(store, "shop-1", "shopify", "never", "acme");
      accepted(await intake.send("shop-1", line(2)));
      await store.processBatch(batch(T0 + 1), evaluate);
      await addIntegration(store, "shop-1", "shopify", "always", "acme");
      accepted(await intake.send("shop-1", line(3)));
      accepted(await intake.send("shop-1", line(5)));
      // Another line of the same order does not count.
      accepted(await intake.send("shop-1", cancellation("shopify", "ORD-LRT", [{ lineId: "2", sku: "CUP", quantity: 4 }])));
      await store.processBatch(batch(T0 + 2), evaluate);
      const claimed = await store.claimOutbox(10, T0 + 3, 30_000);
      expect(claimed.map((item) => [item.adjustment.lineId, item.adjustment.delta, item.lineRestoredTotal])).toEqual([
        ["1", 1, 1],
        ["1", 1, 2],
        ["1", 2, 4],
        ["2", 4, 4],
      ]);
    });

    test("while the host sink is enabled every adjustment gets an outbox row: claimed under a lease, retried, delivered", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      const intake = intakeOn(store);
      for (const order of ["1", "2", "3"]) {
        accepted(await intake.send("amz-1", cancellation("amazon", order, [{ lineId: "1", sku: `SKU-${order}`, quantity: 2 }])));
      }
      expect((await store.hostSink()).enabled).toBe(false);
      expect(await store.setHostSink(true, T0, "test")).toMatchObject({ enabled: false });
      expect(await store.hostSink()).toEqual({ enabled: true, changedAt: T0, changedBy: "test" });
      await store.processBatch(batch(T0), evaluate);
      expect(await store.outboxDepth()).toBe(3);
      expect(await store.oldestUndeliveredAt()).toBe(T0);

      const claimed = await store.claimOutbox(2, T0, 30_000);
      // keyWithTime: queued by this version, sent under a key that names the decision time.
      expect(
        claimed.map((item) => [item.adjustment.sku, item.adjustment.delta, item.attempts, item.leasedUntil, item.keyWithTime]),
      ).toEqual([
        ["SKU-1", 2, 0, T0 + 30_000, true],
        ["SKU-2", 2, 0, T0 + 30_000, true],
      ]);
      expect((await store.listUndelivered(0, 10)).map((row) => row.keyWithTime)).toEqual([true, true, true]);
      // Leased: another claimer gets only the third.
      expect((await store.claimOutbox(10, T0 + 1, 30_000)).map((item) => item.adjustment.sku)).toEqual(["SKU-3"]);
      expect(await store.claimOutbox(10, T0 + 2, 30_000)).toEqual([]);

      await store.markOutboxDelivered(claimed[0]!.adjustment.id, T0 + 3);
      expect(await store.markOutboxFailed(claimed[1]!, "host answered 503", T0 + 10_000)).toBe(true);
      expect(await store.outboxDepth()).toBe(2);
      // What the host has not acknowledged, by id: the failed one with its error, the one in flight under its lease.
      const undelivered = await store.listUndelivered(0, 10);
      expect(undelivered.map((u) => [u.adjustment.sku, u.attempts, u.lastError, u.nextAttemptAt])).toEqual([
        ["SKU-2", 1, "host answered 503", T0 + 10_000],
        // Claimed and not answered yet: it says so (a crash mid-request left "not tried yet").
        ["SKU-3", 0, CLAIMED_NO_ANSWER, T0 + 30_001],
      ]);
      expect(undelivered[0]!.adjustment).toEqual(claimed[1]!.adjustment);
      expect((await store.listUndelivered(claimed[1]!.adjustment.id, 1)).map((u) => u.adjustment.sku)).toEqual(["SKU-3"]);
      expect(await store.claimOutbox(10, T0 + 9_999, 30_000)).toEqual([]);
      const retried = await store.claimOutbox(10, T0 + 10_000, 30_000);
      expect(retried.map((item) => [item.adjustment.id, item.attempts])).toEqual([[claimed[1]!.adjustment.id, 1]]);
      // Both leases ran out (the third's at T0 + 30_001, the retried one's at T0 + 40_000): both are due again.
      expect((await store.claimOutbox(10, T0 + 30_001, 30_000)).map((item) => item.adjustment.sku)).toEqual(["SKU-3"]);
      expect((await store.claimOutbox(10, T0 + 40_000, 30_000)).map((item) => item.adjustment.sku)).toEqual(["SKU-2"]);
      for (const item of claimed) await store.markOutboxDelivered(item.adjustment.id, T0 + 40_001);
      expect(await store.oldestUndeliveredAt()).toBe(T0);
      expect(await store.outboxDepth()).toBe(1);
    });

    // The claim reads the due-time index (outbox_due), so that a host down for long does not make each
    // round walk every row waiting for a retry; what has been due longest goes first.
    test("the host sink claims what has been due longest first: a newer adjustment before an older one's later retry", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      await store.setHostSink(true, T0, "test");
      const intake = intakeOn(store);
      accepted(await intake.send("amz-1", cancellation("amazon", "older", [{ lineId: "1", sku: "OLD", quantity: 1 }])));
      await store.processBatch(batch(T0), evaluate);
      const [older] = await store.claimOutbox(10, T0, 30_000);
      expect(await store.markOutboxFailed(older!, "host answered 503", T0 + 10_000)).toBe(true);
      accepted(await intake.send("amz-1", cancellation("amazon", "newer", [{ lineId: "1", sku: "NEW", quantity: 1 }])));
      await store.processBatch(batch(T0 + 5_000), evaluate);
      // Due since T0 + 5,000 against T0 + 10,000.
      expect((await store.claimOutbox(1, T0 + 20_000, 30_000)).map((item) => item.adjustment.sku)).toEqual(["NEW"]);
      expect((await store.claimOutbox(1, T0 + 20_000, 30_000)).map((item) => [item.adjustment.sku, item.attempts])).toEqual([["OLD", 1]]);
    });

    test("an outbox row leased while the clock ran a year ahead is claimed again once the clock is back", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      await store.setHostSink(true, T0, "test");
      accepted(await intakeOn(store).send("amz-1", cancellation("amazon", "1", [{ lineId: "1", sku: "MUG", quantity: 1 }])));
      await store.processBatch(batch(T0), evaluate);
      const year = 365 * 24 * 60 * 60 * 1000;
      const [ahead] = await store.claimOutbox(10, T0 + year, 30_000, 300_000);
      expect(ahead?.leasedUntil).toBe(T0 + year + 30_000);
      // Back to the right time: the row's lease ends further ahead than any lease or retry the sink
      // sets (maxWaitMs), so it came from the clock that ran ahead and is claimed now.
      const [again] = await store.claimOutbox(10, T0 + 60_000, 30_000, 300_000);
      expect(again?.adjustment.id).toBe(ahead!.adjustment.id);
      // A lease within reach is still honoured.
      expect(await store.claimOutbox(10, T0 + 60_001, 30_000, 300_000)).toEqual([]);
    });

    test("a failure comes back after its claim ran out: the claimer that holds the row now keeps its lease", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      await store.setHostSink(true, T0, "test");
      accepted(await intakeOn(store).send("amz-1", cancellation("amazon", "1", [{ lineId: "1", sku: "MUG", quantity: 1 }])));
      await store.processBatch(batch(T0), evaluate);
      const [stale] = await store.claimOutbox(10, T0, 1_000);
      // The first claimer's delivery outlives its lease; a second claimer takes the row over.
      const [current] = await store.claimOutbox(10, T0 + 1_000, 30_000);
      expect(current!.adjustment.id).toBe(stale!.adjustment.id);
      // The first one's failure arrives now: it must not make the row due again at T0 + 2_000.
      expect(await store.markOutboxFailed(stale!, "host answered 503", T0 + 2_000)).toBe(false);
      expect(await store.claimOutbox(10, T0 + 2_000, 30_000)).toEqual([]);
      // The holder's own failure is recorded, with one attempt.
      expect(await store.markOutboxFailed(current!, "host answered 503", T0 + 5_000)).toBe(true);
      expect((await store.claimOutbox(10, T0 + 5_000, 30_000)).map((item) => item.attempts)).toEqual([1]);
      // A delivery is a delivery whoever holds the row: a stale claimer's 2xx still ends it.
      await store.markOutboxDelivered(stale!.adjustment.id, T0 + 5_001);
      expect(await store.outboxDepth()).toBe(0);
      expect(await store.oldestUndeliveredAt()).toBeNull();
    });

    test("skipping an adjustment the host refuses for good: it leaves what is undelivered, and a late failure of it records nothing", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      await store.setHostSink(true, T0, "test");
      const intake = intakeOn(store);
      for (const order of ["1", "2", "3"]) {
        accepted(await intake.send("amz-1", cancellation("amazon", order, [{ lineId: "1", sku: `SKU-${order}`, quantity: 1 }])));
      }
      await store.processBatch(batch(T0), evaluate);
      const [one, two, three] = (await store.listUndelivered(0, 10)).map((u) => u.adjustment.id);
      await store.markOutboxDelivered(two!, T0 + 1);
      const [inFlight] = await store.claimOutbox(1, T0 + 2, 30_000);
      expect(inFlight!.adjustment.id).toBe(one);
      // The delivered one and an id with no outbox row are not skipped; the one in flight is.
      expect(await store.skipUndelivered([one!, two!, 999_999], T0 + 3, "host has no such SKU")).toEqual([one]);
      expect((await store.listUndelivered(0, 10)).map((u) => u.adjustment.id)).toEqual([three]);
      expect(await store.outboxDepth()).toBe(1);
      expect(await store.markOutboxFailed(inFlight!, "host answered 422", T0 + 10)).toBe(false);
      expect((await store.claimOutbox(10, T0 + 60_000, 30_000)).map((item) => item.adjustment.id)).toEqual([three]);
      expect(await store.skipUndelivered([one!], T0 + 4, "again")).toEqual([]);
    });

    test("while the host sink is off no outbox rows are written, and turning it on queues only later adjustments", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always");
      const intake = intakeOn(store);
      accepted(await intake.send("amz-1", cancellation("amazon", "1", [{ lineId: "1", sku: "MUG", quantity: 1 }])));
      const report = await store.processBatch(batch(), evaluate);
      expect(report.adjustments).toBe(1);
      expect(await store.outboxDepth()).toBe(0);
      expect(await store.oldestUndeliveredAt()).toBeNull();
      expect(await store.claimOutbox(10, T0 + 60_000, 1000)).toEqual([]);

      // Turning it on again when it is on changes nothing, not even who turned it.
      await store.setHostSink(true, T0 + 10, "first");
      expect(await store.setHostSink(true, T0 + 20, "second")).toEqual({
        enabled: true,
        changedAt: T0 + 10,
        changedBy: "first",
      });
      accepted(await intake.send("amz-1", cancellation("amazon", "2", [{ lineId: "1", sku: "MUG", quantity: 2 }])));
      await store.processBatch(batch(T0 + 30), evaluate);
      expect((await store.claimOutbox(10, T0 + 30, 1000)).map((item) => [item.adjustment.orderId, item.adjustment.delta])).toEqual([
        ["2", 2],
      ]);

      // Off again: a later batch queues nothing; what was queued stays for a sink to deliver.
      expect(await store.setHostSink(false, T0 + 40, "restock sink disable")).toMatchObject({ enabled: true });
      expect(await store.hostSink()).toEqual({ enabled: false, changedAt: T0 + 40, changedBy: "restock sink disable" });
      accepted(await intake.send("amz-1", cancellation("amazon", "3", [{ lineId: "1", sku: "MUG", quantity: 3 }])));
      expect((await store.processBatch(batch(T0 + 50), evaluate)).adjustments).toBe(1);
      expect(await store.outboxDepth()).toBe(1);

      // A starting process keeps an operator's "off"; an "off" by anything else it turns on.
      const keepOff = { keepOffIfTurnedBy: "restock sink disable" };
      expect(await store.setHostSink(true, T0 + 60, "start", keepOff)).toMatchObject({ enabled: false, changedBy: "restock sink disable" });
      expect(await store.hostSink()).toEqual({ enabled: false, changedAt: T0 + 40, changedBy: "restock sink disable" });
      await store.setHostSink(true, T0 + 65, "restock sink enable");
      await store.setHostSink(false, T0 + 70, "someone else");
      expect(await store.setHostSink(true, T0 + 80, "start", keepOff)).toMatchObject({ enabled: false, changedBy: "someone else" });
      expect(await store.hostSink()).toEqual({ enabled: true, changedAt: T0 + 80, changedBy: "start" });
    });

    test("decision queries filter, run newest first and page by id", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "smart", "acme");
      await addIntegration(store, "wm-1", "walmart", "smart", "acme");
      let clock = T0;
      const intake = intakeOn(store);
      const events: number[] = [];
      const sends: [string, string, string, Line[]][] = [
        ["amz-1", "amazon", "113-1", [{ lineId: "1", sku: "MUG", quantity: 1, reason: "BuyerCanceled" }]],
        ["amz-1", "amazon", "113-2", [{ lineId: "1", sku: "PLATE", quantity: 1, reason: "NoInventory" }]],
        ["wm-1", "walmart", "PO-1", [{ lineId: "1", sku: "MUG", quantity: 2, reason: "SELLER_CANCEL_OUT_OF_STOCK" }]],
        ["wm-1", "walmart", "PO-2", [{ lineId: "1", sku: "BOWL", quantity: 1 }]],
      ];
      for (const [integration, marketplace, order, lines] of sends) {
        events.push(accepted(await intake.send(integration, cancellation(marketplace, order, lines))));
        clock += 1000;
        await store.processBatch(batch(clock), evaluate);
      }
      const all = await store.queryDecisions({ limit: 10 });
      expect(all.map((d) => d.orderId)).toEqual(["PO-2", "PO-1", "113-2", "113-1"]);
      expect(all.map((d) => d.decidedAt)).toEqual([T0 + 4000, T0 + 3000, T0 + 2000, T0 + 1000]);
      const orders = async (filter: Omit<Parameters<Store["queryDecisions"]>[0], "limit">) =>
        (await store.queryDecisions({ limit: 10, ...filter })).map((d) => d.orderId);
      expect(await orders({ integrationId: "wm-1" })).toEqual(["PO-2", "PO-1"]);
      expect(await orders({ orderId: "113-2" })).toEqual(["113-2"]);
      expect(await orders({ sku: "MUG" })).toEqual(["PO-1", "113-1"]);
      expect(await orders({ outcome: "do_not_restore" })).toEqual(["PO-1", "113-2"]);
      expect(await orders({ rule: "smart.no_reason" })).toEqual(["PO-2"]);
      expect(await orders({ eventId: events[0] })).toEqual(["113-1"]);
      expect(await orders({ from: T0 + 2000, to: T0 + 4000 })).toEqual(["PO-1", "113-2"]);
      expect(await orders({ sku: "MUG", integrationId: "amz-1" })).toEqual(["113-1"]);
      const firstPage = await store.queryDecisions({ limit: 3 });
      const nextPage = await store.queryDecisions({ limit: 3, beforeId: firstPage.at(-1)!.id });
      expect(nextPage.map((d) => d.orderId)).toEqual(["113-1"]);
    });

    test("inventory and adjustments list by account and SKU, with paging", async () => {
      const { store } = await fresh();
      await addIntegration(store, "amz-1", "amazon", "always", "acme");
      await addIntegration(store, "wm-1", "walmart", "always", "beta");
      const intake = intakeOn(store);
      accepted(
        await intake.send(
          "amz-1",
          cancellation("amazon", "113-1", [
            { lineId: "1", sku: "b-mug", quantity: 2 },
            { lineId: "2", sku: "B-MUG", quantity: 1 },
            { lineId: "3", sku: "a-cup", quantity: 3 },
          ]),
        ),
      );
      accepted(await intake.send("wm-1", cancellation("walmart", "PO-1", [{ lineId: "1", sku: "b-mug", quantity: 4 }])));
      await store.processBatch(batch(), evaluate);

      const inventory = async (filter: Omit<Parameters<Store["listInventory"]>[0], "limit">, limit = 10) =>
        (await store.listInventory({ limit, ...filter })).map((row) => `${row.account}/${row.sku}=${row.onHand}`);
      // Byte order: upper case sorts before lower case.
      expect(await inventory({})).toEqual(["acme/B-MUG=1", "acme/a-cup=3", "acme/b-mug=2", "beta/b-mug=4"]);
      expect(await inventory({ account: "acme" }, 2)).toEqual(["acme/B-MUG=1", "acme/a-cup=3"]);
      expect(await inventory({ after: { account: "acme", sku: "a-cup" } })).toEqual(["acme/b-mug=2", "beta/b-mug=4"]);
      expect(await inventory({ sku: "b-mug" })).toEqual(["acme/b-mug=2", "beta/b-mug=4"]);

      const adjustments = await store.listAdjustments({ limit: 10 });
      expect(adjustments.map((a) => [a.account, a.sku, a.delta, a.integrationId, a.marketplace, a.orderId])).toEqual([
        ["acme", "b-mug", 2, "amz-1", "amazon", "113-1"],
        ["acme", "B-MUG", 1, "amz-1", "amazon", "113-1"],
        ["acme", "a-cup", 3, "amz-1", "amazon", "113-1"],
        ["beta", "b-mug", 4, "wm-1", "walmart", "PO-1"],
      ]);
      const skus = async (filter: Omit<Parameters<Store["listAdjustments"]>[0], "limit">, limit = 10) =>
        (await store.listAdjustments({ limit, ...filter })).map((a) => `${a.account}/${a.sku}`);
      expect(await skus({ sku: "b-mug" })).toEqual(["acme/b-mug", "beta/b-mug"]);
      expect(await skus({ account: "beta" })).toEqual(["beta/b-mug"]);
      expect(await skus({ integrationId: "amz-1", orderId: "113-1" }, 2)).toEqual(["acme/b-mug", "acme/B-MUG"]);
      expect(await skus({ afterId: adjustments[1]!.id })).toEqual(["acme/a-cup", "beta/b-mug"]);
    });

    test("a signed-out console session is revoked for every store on the database; rows of expired sessions go at the next sign-out", async () => {
      const { store, database, opened } = await fresh();
      const other = await database.open();
      opened.push(other);
      const EIGHT_HOURS = 8 * 60 * 60 * 1000;
      expect(await other.isSessionRevoked("session-1")).toBe(false);

      await store.revokeSession("session-1", T0 + EIGHT_HOURS, T0);
      // Another process on the database (another connection, another pool) refuses it at once.
      expect(await other.isSessionRevoked("session-1")).toBe(true);
      expect(await store.isSessionRevoked("session-1")).toBe(true);
      expect(await other.isSessionRevoked("session-2")).toBe(false);
      // Signing out twice (two tabs, a copy of the cookie) is no error.
      await other.revokeSession("session-1", T0 + EIGHT_HOURS, T0 + 1000);
      expect(await database.count("revoked_sessions")).toBe(1);

      // Just after session-1's cookie expired by this clock, its row stays: a process whose clock is
      // behind still takes the cookie as unexpired, and must still find it revoked.
      await other.revokeSession("session-2", T0 + 2 * EIGHT_HOURS, T0 + EIGHT_HOURS);
      expect(await database.count("revoked_sessions")).toBe(2);
      expect(await store.isSessionRevoked("session-1")).toBe(true);
      // An hour (CLOCK_AHEAD_MARGIN_MS) after it expired, the row is of no use: the next revocation deletes it.
      await other.revokeSession("session-3", T0 + 3 * EIGHT_HOURS, T0 + EIGHT_HOURS + CLOCK_AHEAD_MARGIN_MS);
      expect(await database.count("revoked_sessions")).toBe(2);
      expect(await store.isSessionRevoked("session-1")).toBe(false);
      expect(await store.isSessionRevoked("session-2")).toBe(true);

      // Kept across a restart.
      await store.close();
      opened.splice(opened.indexOf(store), 1);
      const restarted = await database.open();
      opened.push(restarted);
      expect(await restarted.isSessionRevoked("session-2")).toBe(true);
    });
  });
}
