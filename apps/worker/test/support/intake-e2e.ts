import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import type { IntakeWrite } from "../../src/store/types.js";
import { adapterFixture, canonicalCancellation, channelCancellation, walmartSignature } from "../helpers/payloads.js";
import { API_TOKEN, startWorker, type TestWorker } from "../helpers/start-worker.js";
import { tempDir } from "../helpers/temp-dir.js";

/** The test's database: extra worker flags (none for SQLite; `databaseUrl` for PostgreSQL) and its clean-up. */
export interface E2eDatabase {
  flags: Record<string, unknown>;
  dispose(): Promise<void>;
}

/**
 * The HTTP intake end-to-end tests (durable intake with group commit, exactly once, refusals, host
 * API) against a real worker, with the same assertions whichever store `openDatabase` selects.
 */
export function registerIntakeE2e(label: string, openDatabase: () => Promise<E2eDatabase>): void {
  describe(`HTTP intake end to end (${label})`, () => {
    const dir = tempDir();
    let database: E2eDatabase;
    let t: TestWorker;
    const commits: IntakeWrite[] = [];

    /** Counts group commits: the store's appendIntake calls and their sizes. */
    function countingStore(store: Store): Store {
      return new Proxy(store, {
        get(target, key, receiver) {
          if (key === "appendIntake") {
            return (write: IntakeWrite) => {
              commits.push(write);
              return target.appendIntake(write);
            };
          }
          return Reflect.get(target, key, receiver);
        },
      });
    }

    beforeAll(async () => {
      database = await openDatabase();
      t = await startWorker(dir, { bodyLimit: 4096, ...database.flags }, { wrapStore: countingStore });
    });
    afterAll(async () => {
      await t.stop();
      await database.dispose();
    });

    let nextId = 0;
    /** A fresh integration on the no-reason adapter (a WooCommerce store), shared-secret webhooks. */
    async function channelIntegration(mode = "smart"): Promise<string> {
      const id = `woo-${++nextId}`;
      const response = await t.request("PUT", `/v1/integrations/${id}`, {
        contentType: "application/json",
        body: JSON.stringify({ marketplace: "woocommerce", mode, webhookSecret: "woo-secret-123" }),
      });
      expect(response.status).toBe(201);
      return id;
    }

    function deliver(integrationId: string, body: string, headers: Record<string, string> = { "x-restock-token": "woo-secret-123" }) {
      return t.request("POST", `/webhooks/${integrationId}`, { body, contentType: "application/json", headers, token: false });
    }

    async function onHand(account: string, sku: string): Promise<number> {
      const { inventory } = await t.get<{ inventory: { onHand: number }[] }>(`/v1/inventory?account=${account}&sku=${sku}`);
      return inventory[0]?.onHand ?? 0;
    }

    async function adjustments(integrationId: string) {
      return (
        await t.get<{ adjustments: { sku: string; delta: number; orderId: string; lineId: string }[] }>(
          `/v1/adjustments?integration=${integrationId}`,
        )
      ).adjustments;
    }

    describe("durable intake with group commit", () => {
      test("a 202 means the event is committed: another connection to the database reads it", async () => {
        const id = await channelIntegration();
        const response = await deliver(id, channelCancellation("D-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]));
        expect(response.status).toBe(202);
        const { eventId } = (await response.json()) as { eventId: number };
        const other = await openStore(t.worker.config, t.worker.logger);
        try {
          expect(await other.getEvent(eventId)).toMatchObject({ integrationId: id, status: "pending" });
        } finally {
          await other.close();
        }
      });

      test("deliveries received in one tick share one commit; concurrent HTTP deliveries share commits", async () => {
        const id = await channelIntegration();
        // The integration is looked up once (and cached), so the five deliveries reach the group commit in one tick.
        await t.worker.settings.lookup(id);
        commits.length = 0;
        const results = await Promise.all(
          [1, 2, 3, 4, 5].map((n) =>
            t.worker.intake.receive({
              integrationId: id,
              body: channelCancellation(`G-${n}`, [{ lineId: "1", sku: "MUG", quantity: 1 }]),
              source: "api",
            }),
          ),
        );
        expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
        expect(commits.map((write) => write.events.length)).toEqual([5]);

        commits.length = 0;
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, n) => deliver(id, channelCancellation(`H-${n}`, [{ lineId: "1", sku: "MUG", quantity: 1 }]))),
        );
        expect(responses.every((r) => r.status === 202)).toBe(true);
        const events = commits.reduce((sum, write) => sum + write.events.length, 0);
        expect(events).toBe(50);
        expect(commits.length).toBeLessThan(50);
      });
    });

    describe("exactly once", () => {
      test("the same delivery 5 times in a row: accepted 5 times, restored once", async () => {
        const id = await channelIntegration();
        const body = channelCancellation("ORD-1", [
          { lineId: "1", sku: "TEE-L", quantity: 2 },
          { lineId: "2", sku: "CAP", quantity: 1 },
        ]);
        const ids: number[] = [];
        for (let i = 0; i < 5; i++) {
          const response = await deliver(id, body);
          expect(response.status).toBe(202);
          ids.push(((await response.json()) as { eventId: number }).eventId);
        }
        expect(new Set(ids).size).toBe(5);
        await t.drain();
        expect(await onHand(id, "TEE-L")).toBe(2);
        expect(await onHand(id, "CAP")).toBe(1);
        expect((await adjustments(id)).map((a) => [a.sku, a.delta])).toEqual([
          ["TEE-L", 2],
          ["CAP", 1],
        ]);
        const statuses = await Promise.all(
          ids.map(async (eventId) => await t.get<{ status: string; duplicateOf: number | null }>(`/v1/events/${eventId}`)),
        );
        expect(statuses.map((s) => s.status)).toEqual(["done", "duplicate", "duplicate", "duplicate", "duplicate"]);
        expect(statuses.slice(1).every((s) => s.duplicateOf === ids[0])).toBe(true);
      });

      test("the same delivery 5 times concurrently: restored once", async () => {
        const id = await channelIntegration();
        const body = channelCancellation("ORD-2", [{ lineId: "9", sku: "MUG", quantity: 3 }]);
        const responses = await Promise.all([1, 2, 3, 4, 5].map(() => deliver(id, body)));
        expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
        await t.drain();
        expect(await onHand(id, "MUG")).toBe(3);
        expect((await adjustments(id)).map((a) => a.delta)).toEqual([3]);
        const { decisions } = await t.get<{ decisions: unknown[] }>(`/v1/decisions?integration=${id}`);
        expect(decisions).toHaveLength(1);
      });

      test("a second partial cancellation restores only the new units; an older total restores nothing", async () => {
        const id = await channelIntegration();
        expect((await deliver(id, channelCancellation("ORD-3", [{ lineId: "1", sku: "LAMP", quantity: 1, ordered: 5 }]))).status).toBe(202);
        await t.drain();
        expect(await onHand(id, "LAMP")).toBe(1);
        expect((await deliver(id, channelCancellation("ORD-3", [{ lineId: "1", sku: "LAMP", quantity: 3, ordered: 5 }]))).status).toBe(202);
        await t.drain();
        expect(await onHand(id, "LAMP")).toBe(3);
        // Out of order: a total of 2 arrives after 3 was processed.
        expect((await deliver(id, channelCancellation("ORD-3", [{ lineId: "1", sku: "LAMP", quantity: 2, ordered: 5 }]))).status).toBe(202);
        await t.drain();
        expect(await onHand(id, "LAMP")).toBe(3);
        expect((await adjustments(id)).map((a) => a.delta)).toEqual([1, 2]);
        const { decisions } = await t.get<{ decisions: { quantity: number; restoredNow: number; restore: boolean }[] }>(
          `/v1/decisions?integration=${id}`,
        );
        expect(decisions.map((d) => [d.quantity, d.restoredNow, d.restore])).toEqual([
          [2, 0, true],
          [3, 2, true],
          [1, 1, true],
        ]);
      });

      test("a withheld decision advances the processed quantity; the mode recorded is the one current at processing", async () => {
        const id = await channelIntegration("never");
        await deliver(id, channelCancellation("ORD-4", [{ lineId: "1", sku: "RUG", quantity: 2, ordered: 4 }]));
        await t.drain();
        expect(await onHand(id, "RUG")).toBe(0);
        const put = await t.request("PUT", `/v1/integrations/${id}`, {
          contentType: "application/json",
          body: JSON.stringify({ mode: "always" }),
        });
        expect(put.status).toBe(200);
        await deliver(id, channelCancellation("ORD-4", [{ lineId: "1", sku: "RUG", quantity: 4, ordered: 4 }]));
        await t.drain();
        // Only the 2 units over the withheld 2 are restored.
        expect(await onHand(id, "RUG")).toBe(2);
        const { decisions } = await t.get<{ decisions: { mode: string; rule: string; restore: boolean; restoredNow: number }[] }>(
          `/v1/decisions?integration=${id}`,
        );
        expect(decisions.map((d) => [d.mode, d.rule, d.restore, d.restoredNow])).toEqual([
          ["always", "always", true, 2],
          ["never", "never", false, 0],
        ]);
      });

      test("ignored events change nothing and say why", async () => {
        const response = await t.request("PUT", "/v1/integrations/wm-ignored", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "walmart", webhookSecret: "hmac:walmart-client-secret" }),
        });
        expect(response.status).toBe(201);
        const body = adapterFixture("walmart", "order-updates-intent-to-cancel.json");
        const delivered = await t.request("POST", "/webhooks/wm-ignored", {
          body,
          contentType: "application/json",
          headers: { "wm_sec.signature": walmartSignature("walmart-client-secret", body) },
          token: false,
        });
        expect(delivered.status).toBe(202);
        const { eventId } = (await delivered.json()) as { eventId: number };
        await t.drain();
        const event = await t.get<{ status: string; decisions: unknown[]; ignored: { kind: string; reason: string }[] }>(
          `/v1/events/${eventId}`,
        );
        expect(event.status).toBe("done");
        expect(event.decisions).toEqual([]);
        expect(event.ignored.map((i) => i.reason)).toEqual(["cancel_requested"]);
        expect(await adjustments("wm-ignored")).toEqual([]);
      });
    });

    describe("refusals", () => {
      test("a content type no HTTP header could carry (a NUL, from a replay file) is refused on its own (415); the delivery committed beside it is kept", async () => {
        const id = await channelIntegration();
        await t.worker.settings.lookup(id);
        // In one tick, so both reach one group commit: with the NUL stored, PostgreSQL refused the commit and failed both.
        const [bad, good] = await Promise.all([
          t.worker.intake.receive({
            integrationId: id,
            body: channelCancellation("CT-NUL", [{ lineId: "1", sku: "MUG", quantity: 1 }]),
            contentType: "application/json;\u0000",
            source: "replay",
          }),
          t.worker.intake.receive({
            integrationId: id,
            body: channelCancellation("CT-OK", [{ lineId: "1", sku: "MUG", quantity: 1 }]),
            contentType: "application/json",
            source: "replay",
          }),
        ]);
        expect(bad).toMatchObject({ status: 415, error: expect.stringContaining("is not accepted") });
        expect(good).toMatchObject({ status: 202 });
        await t.drain();
        expect(await adjustments(id)).toEqual([expect.objectContaining({ orderId: "CT-OK", delta: 1 })]);
      });

      test("a malformed payload gets 400 naming the field, and is kept with its body", async () => {
        const id = await channelIntegration();
        const body = channelCancellation("ORD-5", [{ lineId: "1", sku: "MUG", quantity: -1 }]);
        const response = await deliver(id, body);
        expect(response.status).toBe(400);
        const answer = (await response.json()) as { message: string; field: string; rejectionId: number };
        expect(answer.field).toBe("lines[0].quantity");
        expect(answer.message).toContain("lines[0].quantity");
        const { deadLetters } = await t.get<{ deadLetters: { id: number; kind: string; error: string; field: string }[] }>(
          `/v1/dead-letters?integration=${id}`,
        );
        expect(deadLetters).toEqual([expect.objectContaining({ id: answer.rejectionId, kind: "rejected", field: "lines[0].quantity" })]);
        expect((await t.worker.store.getDeadLetterBody(answer.rejectionId))?.toString("utf8")).toBe(body);
        await t.drain();
        expect(await adjustments(id)).toEqual([]);
      });

      test("a NUL character in free text read from the payload (a reason's label, an event's kind) gets 400 naming the field, and is kept", async () => {
        await t.request("PUT", "/v1/integrations/wm-nul", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "walmart" }),
        });
        const labelled = JSON.stringify({
          marketplace: "walmart",
          orderId: "NUL-1",
          occurredAt: null,
          lines: [{ lineId: "1", sku: "MUG", quantity: 1, reason: { code: "NOT_A_WALMART_CODE", label: "out\u0000of stock" } }],
        });
        const canonical = await t.request("POST", "/v1/integrations/wm-nul/cancellations", {
          body: labelled,
          contentType: "application/json",
        });
        expect(canonical.status).toBe(400);
        const answer = (await canonical.json()) as { message: string; field: string; rejectionId: number };
        expect(answer).toMatchObject({
          field: "lines[0].reason.label",
          message: "lines[0].reason.label: holds a NUL character (U+0000), which is not stored",
        });
        expect((await t.worker.store.getDeadLetterBody(answer.rejectionId))?.toString("utf8")).toBe(labelled);

        // An eBay order whose cancel state (kept as the ignored event's kind) holds a NUL.
        await t.request("PUT", "/v1/integrations/ebay-nul", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "ebay", webhookSecret: "ebay-secret-123" }),
        });
        const order = JSON.stringify({
          orderId: "NUL-2",
          cancelStatus: { cancelState: "NONE\u0000X" },
          lineItems: [{ lineItemId: "1", sku: "MUG", quantity: 1 }],
        });
        const webhook = await t.request("POST", "/webhooks/ebay-nul", {
          body: order,
          contentType: "application/json",
          headers: { "x-restock-token": "ebay-secret-123" },
          token: false,
        });
        expect(webhook.status).toBe(400);
        const refused = (await webhook.json()) as { field: string; rejectionId: number };
        expect(refused.field).toBe("ignored[0].kind");
        expect((await t.worker.store.getDeadLetterBody(refused.rejectionId))?.toString("utf8")).toBe(order);
        await t.drain();
        expect(await adjustments("wm-nul")).toEqual([]);
      });

      test("bytes that are not UTF-8 get 400 and are kept byte for byte; two SKUs never become one; a UTF-8 byte-order mark is fine", async () => {
        const id = await channelIntegration();
        // CAFÉ and CAFË in Latin-1: read leniently, both would be "CAF\uFFFD-MUG".
        const latin1 = (orderId: string, letter: string) =>
          Buffer.from(channelCancellation(orderId, [{ lineId: "1", sku: `CAF${letter}-MUG`, quantity: 1 }]), "latin1");
        for (const [orderId, letter] of [
          ["ORD-L1", "\u00c9"],
          ["ORD-L2", "\u00cb"],
        ] as const) {
          const body = latin1(orderId, letter);
          const response = await t.request("POST", `/webhooks/${id}`, {
            body,
            contentType: "application/json; charset=iso-8859-1",
            headers: { "x-restock-token": "woo-secret-123" },
            token: false,
          });
          expect(response.status).toBe(400);
          const answer = (await response.json()) as { message: string; rejectionId: number };
          expect(answer.message).toBe("body is not valid UTF-8 text");
          expect(await t.worker.store.getDeadLetterBody(answer.rejectionId)).toEqual(body);
          // The API gives the bytes back as they came, with the Content-Type they came with.
          const kept = await t.request("GET", `/v1/dead-letters/${answer.rejectionId}/body`);
          expect(kept.status).toBe(200);
          expect(kept.headers.get("content-type")).toBe("application/json; charset=iso-8859-1");
          expect(kept.headers.get("content-disposition")).toBe(`attachment; filename="dead-letter-${answer.rejectionId}.json"`);
          expect(kept.headers.get("x-content-type-options")).toBe("nosniff");
          expect(Buffer.from(await kept.arrayBuffer())).toEqual(body);
          const deadLetter = await t.get<{ id: number; kind: string; contentType: string; error: string }>(
            `/v1/dead-letters/${answer.rejectionId}`,
          );
          expect(deadLetter).toMatchObject({
            id: answer.rejectionId,
            kind: "rejected",
            contentType: "application/json; charset=iso-8859-1",
          });
          expect(deadLetter.error).toBe("body is not valid UTF-8 text");
        }
        const withBom = Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(channelCancellation("ORD-L3", [{ lineId: "1", sku: "CAFÉ-MUG", quantity: 1 }]), "utf8"),
        ]);
        const accepted = await t.request("POST", `/webhooks/${id}`, {
          body: withBom,
          contentType: "application/json",
          headers: { "x-restock-token": "woo-secret-123" },
          token: false,
        });
        expect(accepted.status).toBe(202);
        await t.drain();
        expect((await adjustments(id)).map((row) => [row.orderId, row.sku])).toEqual([["ORD-L3", "CAFÉ-MUG"]]);
        // An accepted event's body comes back byte for byte too (the byte-order mark included)...
        const { eventId } = (await accepted.json()) as { eventId: number };
        const kept = await t.request("GET", `/v1/events/${eventId}/body`);
        expect(kept.status).toBe(200);
        expect(kept.headers.get("content-type")).toBe("application/json");
        expect(kept.headers.get("content-disposition")).toBe(`attachment; filename="event-${eventId}.json"`);
        expect(Buffer.from(await kept.arrayBuffer())).toEqual(withBom);
        expect((await t.get<{ bodyBytes: number | null }>(`/v1/events/${eventId}`)).bodyBytes).toBe(withBom.length);
        // ...until its body is pruned (410, its decisions stay); no such event is a 404.
        await t.worker.store.prunePayloads({ decidedBefore: Date.now() + 1000, afterId: eventId - 1, limit: 1 });
        const pruned = await t.request("GET", `/v1/events/${eventId}/body`);
        expect(pruned.status).toBe(410);
        expect(((await pruned.json()) as { message: string }).message).toBe(
          `the body of event ${eventId} was pruned (its decisions are kept)`,
        );
        const view = await t.get<{ decisions: unknown[]; bodyBytes: number | null }>(`/v1/events/${eventId}`);
        expect(view.decisions).toHaveLength(1);
        expect(view.bodyBytes).toBeNull();
        expect((await t.request("GET", "/v1/events/999999/body")).status).toBe(404);
      });

      test("a wrong or missing webhook secret gets 401; the secret in the URL's token works", async () => {
        const id = await channelIntegration();
        const body = channelCancellation("ORD-6", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
        expect((await deliver(id, body, { "x-restock-token": "not-the-secret" })).status).toBe(401);
        expect((await deliver(id, body, {})).status).toBe(401);
        const viaUrl = await t.request("POST", `/webhooks/${id}?token=woo-secret-123`, {
          body,
          contentType: "application/json",
          token: false,
        });
        expect(viaUrl.status).toBe(202);
      });

      test("a Walmart delivery signed with another key gets 401", async () => {
        await t.request("PUT", "/v1/integrations/wm-signed", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "walmart", webhookSecret: "hmac:right-key" }),
        });
        const body = adapterFixture("walmart", "order-updates-fraud-cancel.json");
        const wrong = await t.request("POST", "/webhooks/wm-signed", {
          body,
          contentType: "application/json",
          headers: { "wm_sec.signature": walmartSignature("wrong-key", body) },
          token: false,
        });
        expect(wrong.status).toBe(401);
      });

      test("an unknown integration gets 404", async () => {
        const response = await deliver("no-such-integration", channelCancellation("X", [{ lineId: "1", sku: "A", quantity: 1 }]));
        expect(response.status).toBe(404);
        expect(((await response.json()) as { message: string }).message).toContain("no-such-integration");
      });

      test("a body over the limit gets 413", async () => {
        const id = await channelIntegration();
        const lines = Array.from({ length: 200 }, (_, n) => ({ lineId: String(n), sku: `SKU-${n}`, quantity: 1 }));
        const body = channelCancellation("BIG", lines);
        expect(body.length).toBeGreaterThan(4096);
        expect((await deliver(id, body)).status).toBe(413);
      });

      test("a content type other than JSON or XML gets 415", async () => {
        const id = await channelIntegration();
        const body = channelCancellation("ORD-7", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
        const headers = { "x-restock-token": "woo-secret-123" };
        for (const contentType of ["text/csv", "application/x-www-form-urlencoded", "text/plain"]) {
          const response = await t.request("POST", `/webhooks/${id}`, { body, contentType, headers, token: false });
          expect(response.status, contentType).toBe(415);
        }
        // Refused by the route's parsers: the answer names the header and what the route takes.
        const form = await t.request("POST", `/webhooks/${id}`, {
          body,
          contentType: "application/x-www-form-urlencoded",
          headers,
          token: false,
        });
        expect(await form.json()).toMatchObject({
          field: "content-type",
          message:
            'content-type "application/x-www-form-urlencoded" is not accepted: send application/json, application/xml, text/xml, text/plain',
        });
        // JSON labelled text/plain (taken for XML only): intake's own 415 says so too, naming the header.
        const plain = await t.request("POST", `/webhooks/${id}`, { body, contentType: "text/plain", headers, token: false });
        expect(await plain.json()).toMatchObject({
          field: "content-type",
          message:
            'content-type "text/plain" is not accepted for this body: send application/json, or application/xml, text/xml or text/plain for XML',
        });
        const unlabelled = await t.request("POST", `/webhooks/${id}`, { body: new TextEncoder().encode(body), headers, token: false });
        expect(unlabelled.status).toBe(415);
        expect(((await unlabelled.json()) as { message: string }).message).toBe(
          "the request has no content-type: send application/json, application/xml, text/xml, text/plain",
        );
        // Compressed as a transfer-coding: refused naming it, not read as text.
        const transferred = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const sent = httpRequest(
            `${t.url}/webhooks/${id}`,
            { method: "POST", headers: { ...headers, "content-type": "application/json", "transfer-encoding": "gzip, chunked" } },
            (response) => {
              let text = "";
              response.on("data", (chunk) => {
                text += chunk;
              });
              response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
            },
          );
          sent.on("error", reject);
          sent.end(gzipSync(body));
        });
        expect(transferred.status).toBe(415);
        expect((JSON.parse(transferred.body) as { message: string }).message).toContain('transfer-encoding "gzip" is not supported');
        // A compressed body: refused naming the encoding, not read as text.
        const gzipped = await t.request("POST", `/webhooks/${id}`, {
          body: gzipSync(body),
          contentType: "application/json",
          headers: { ...headers, "content-encoding": "gzip" },
          token: false,
        });
        expect(gzipped.status).toBe(415);
        expect(((await gzipped.json()) as { message: string }).message).toContain('content-encoding "gzip" is not supported');
        // XML to an adapter that takes JSON only.
        const xml = await t.request("POST", `/webhooks/${id}`, { body: "<order/>", contentType: "application/xml", headers, token: false });
        expect(xml.status).toBe(415);
      });
    });

    describe("host API", () => {
      test("a NUL character in a filter or a webhook secret gets 400 naming the field, on every store (PostgreSQL text cannot hold it)", async () => {
        for (const [path, field] of [
          ["/v1/decisions?order=a%00b", "order"],
          ["/v1/decisions?sku=a%00b", "sku"],
          ["/v1/decisions.csv?sku=a%00b", "sku"],
          ["/v1/adjustments?order=a%00b", "order"],
          ["/v1/adjustments?sku=a%00b", "sku"],
          ["/v1/adjustments?account=a%00b", "account"],
        ] as const) {
          const response = await t.request("GET", path);
          expect(response.status, path).toBe(400);
          expect(((await response.json()) as { message: string }).message, path).toContain(
            `${field}: must be well-formed text without NUL`,
          );
        }
        const secret = await t.request("PUT", "/v1/integrations/nul-secret", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "ebay", webhookSecret: "abc\u0000defghij" }),
        });
        expect(secret.status).toBe(400);
        expect(await secret.json()).toMatchObject({ field: "webhookSecret" });
      });

      test("needs the bearer token", async () => {
        const id = await channelIntegration();
        const body = canonicalCancellation("woocommerce", "API-1", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
        const response = await t.request("POST", `/v1/integrations/${id}/cancellations`, {
          body,
          contentType: "application/json",
          token: false,
        });
        expect(response.status).toBe(401);
        expect((await t.request("GET", "/v1/integrations", { token: false })).status).toBe(401);
        // The scheme name is case-insensitive; the token is not.
        const lowerCase = { authorization: `bearer ${API_TOKEN}` };
        expect((await t.request("GET", "/v1/integrations", { token: false, headers: lowerCase })).status).toBe(200);
        const wrongCase = { authorization: `Bearer ${API_TOKEN.toUpperCase()}` };
        expect((await t.request("GET", "/v1/integrations", { token: false, headers: wrongCase })).status).toBe(401);
      });

      test("takes a canonical cancellation with reasons; one for another marketplace is refused naming the field", async () => {
        await t.request("PUT", "/v1/integrations/wm-api", {
          contentType: "application/json",
          body: JSON.stringify({ marketplace: "walmart" }),
        });
        const body = canonicalCancellation("walmart", "API-2", [
          { lineId: "1", sku: "MUG", quantity: 2, reason: "CUSTOMER_REQUESTED_SELLER_TO_CANCEL" },
          { lineId: "2", sku: "CUP", quantity: 1, reason: "SELLER_CANCEL_OUT_OF_STOCK" },
        ]);
        const response = await t.request("POST", "/v1/integrations/wm-api/cancellations", { body, contentType: "application/json" });
        expect(response.status).toBe(202);
        await t.drain();
        expect((await adjustments("wm-api")).map((a) => [a.sku, a.delta])).toEqual([["MUG", 2]]);

        const other = canonicalCancellation("amazon", "API-3", [{ lineId: "1", sku: "MUG", quantity: 1 }]);
        const refused = await t.request("POST", "/v1/integrations/wm-api/cancellations", { body: other, contentType: "application/json" });
        expect(refused.status).toBe(400);
        expect(((await refused.json()) as { field: string }).field).toBe("marketplace");

        // Meant as a canonical cancellation, but a line has no reason key (null for none) or there is
        // no line: the canonical schema names the field, not the Walmart adapter's "unrecognised payload".
        const noReason = JSON.stringify({
          marketplace: "walmart",
          orderId: "API-4",
          occurredAt: null,
          lines: [{ lineId: "1", sku: "MUG", quantity: 1 }],
        });
        const noLines = JSON.stringify({ marketplace: "walmart", orderId: "API-5", occurredAt: null, lines: [] });
        for (const [near, field] of [
          [noReason, "lines[0].reason"],
          [noLines, "lines"],
        ] as const) {
          const missed = await t.request("POST", "/v1/integrations/wm-api/cancellations", { body: near, contentType: "application/json" });
          expect(missed.status).toBe(400);
          expect(await missed.json()).toMatchObject({ field });
        }
        // Whatever field the marketplace's adapter names for the body (eBay's named its `cancelStatus`).
        for (const marketplace of ["amazon", "ebay", "shopify", "wish", "newegg", "reverb", "wayfair"]) {
          await t.worker.settings.put(`near-${marketplace}`, { marketplace }, "api");
          const body = JSON.stringify({
            marketplace,
            orderId: "NM-1",
            occurredAt: null,
            lines: [{ lineId: "L1", sku: "SKU-1", quantity: 1 }],
          });
          const missed = await t.request("POST", `/v1/integrations/near-${marketplace}/cancellations`, {
            body,
            contentType: "application/json",
          });
          expect(missed.status, marketplace).toBe(400);
          expect(await missed.json(), marketplace).toMatchObject({ field: "lines[0].reason" });
        }
      });
    });
  });
}
