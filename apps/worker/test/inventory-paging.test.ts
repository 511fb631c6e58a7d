import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startWorker, type TestWorker } from "./helpers/start-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

interface InventoryPage {
  inventory: { account: string; sku: string; onHand: number }[];
  nextCursor: string | null;
}

/** Every row, in order, following nextCursor from page to page. */
async function readAll(worker: TestWorker, query: string): Promise<{ rows: string[]; pages: number }> {
  const rows: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: InventoryPage = await worker.get<InventoryPage>(
      `/v1/inventory?${query}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    pages++;
    rows.push(...page.inventory.map((row) => `${row.account}/${row.sku}`));
    cursor = page.nextCursor;
    if (pages > 1000) throw new Error("paging does not end");
  } while (cursor !== null);
  return { rows, pages };
}

describe("GET /v1/inventory pages with cursor / nextCursor", () => {
  let worker: TestWorker;
  const expected: string[] = [];

  beforeAll(async () => {
    worker = await startWorker(dir);
    // 1,204 ledger rows, written straight into the table (the ledger's own writes are tested elsewhere).
    const accounts = ["acme", "beta", 'we"ird,]acct'];
    const skus = Array.from({ length: 400 }, (_, i) => `SKU-${String(i).padStart(4, "0")}`).concat(["ü-mug", 'a,b]"c', "x/../y", "zz"]);
    const db = new BetterSqlite3(join(dir, "worker.db"));
    const insert = db.prepare("INSERT INTO inventory (account, sku, on_hand, updated_at) VALUES (?, ?, ?, ?)");
    db.transaction(() => {
      for (const account of accounts) {
        for (const sku of skus.slice(0, account === "acme" ? skus.length : 400)) {
          insert.run(account, sku, 1, Date.now());
          expected.push(`${account}/${sku}`);
        }
      }
    })();
    db.close();
    // SQLite's order: byte order of the UTF-8, account first.
    const accountOf = (row: string) => row.split("/", 1)[0]!;
    expected.sort((a, b) => {
      const [aAccount, bAccount] = [accountOf(a), accountOf(b)];
      if (aAccount !== bAccount) return Buffer.compare(Buffer.from(aAccount), Buffer.from(bAccount));
      return Buffer.compare(Buffer.from(a.slice(aAccount.length + 1)), Buffer.from(b.slice(bAccount.length + 1)));
    });
  });
  afterAll(async () => {
    await worker?.stop();
  });

  test("rows past the first 1000 are reachable: a full page carries nextCursor, the last one null", async () => {
    expect(expected).toHaveLength(1204);
    const first = await worker.get<InventoryPage>("/v1/inventory?limit=1000");
    expect(first.inventory).toHaveLength(1000);
    expect(typeof first.nextCursor).toBe("string");
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await worker.get<InventoryPage>(`/v1/inventory?limit=1000&cursor=${first.nextCursor}`);
    expect(second.inventory).toHaveLength(204);
    expect(second.nextCursor).toBeNull();
    expect([...first.inventory, ...second.inventory].map((row) => `${row.account}/${row.sku}`)).toEqual(expected);
  });

  test("small pages, filters and odd characters in account and SKU", async () => {
    const all = await readAll(worker, "limit=97");
    expect(all.rows).toEqual(expected);
    expect(all.pages).toBe(Math.ceil(1204 / 97));
    const acme = await readAll(worker, "account=acme&limit=3");
    expect(acme.rows).toEqual(expected.filter((row) => row.startsWith("acme/")));
    const weird = await readAll(worker, `account=${encodeURIComponent('we"ird,]acct')}&limit=400`);
    // Exactly one full page: its cursor leads to an empty last page.
    expect(weird.pages).toBe(2);
    expect(weird.rows).toHaveLength(400);
    const sku = await readAll(worker, "sku=SKU-0007&limit=1");
    expect(sku.rows).toEqual(["acme/SKU-0007", "beta/SKU-0007", 'we"ird,]acct/SKU-0007']);
    // The default page size (100) pages too.
    const firstDefault = await worker.get<InventoryPage>("/v1/inventory");
    expect(firstDefault.inventory).toHaveLength(100);
    expect(firstDefault.nextCursor).not.toBeNull();
  });

  test("a malformed cursor is a 400 naming cursor", async () => {
    const b64 = (text: string) => Buffer.from(text).toString("base64url");
    for (const cursor of [
      "",
      "not a cursor",
      "12345",
      b64("not json"),
      b64("[1,2]"),
      b64('["acme"]'),
      b64('["acme","a","b"]'),
      b64('{"account":"acme","sku":"a"}'),
      b64('["","a"]'),
      `${b64('["acme","a"]')}==`,
      b64(`["${"a".repeat(4000)}","x"]`),
      // NUL and a lone surrogate: no SKU in the ledger holds them, and PostgreSQL text cannot take NUL.
      b64('["acme","\\u0000"]'),
      b64('["acme","\\udc80"]'),
    ]) {
      const response = await worker.request("GET", `/v1/inventory?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      const body = (await response.json()) as { field: string | null; message: string };
      expect(body.field, cursor).toBe("cursor");
      expect(body.message, cursor).toMatch(/^cursor: /);
    }
    for (const filter of ["sku=%00", "account=a%00b"]) {
      const response = await worker.request("GET", `/v1/inventory?${filter}`);
      expect(response.status, filter).toBe(400);
    }
  });
});
