import { join } from "node:path";
import { expect, test } from "vitest";
import { loadConfig } from "../src/config/load-config.js";
import { createLogger } from "../src/ops/logger.js";
import { createWorker } from "../src/worker.js";
import { tempDir } from "./helpers/temp-dir.js";

const dir = tempDir();

// A shared-secret webhook URL carries its token in the query. With a typo in the path (here a
// trailing slash), Fastify's own 404 logged the whole URL at info level on every delivery, and
// answered with it.
test("a URL that matches no route is answered 404 with its path only, and the log never holds its query", async () => {
  const lines: string[] = [];
  const config = loadConfig({ flags: { dbPath: join(dir, "not-found.db"), port: 0, logLevel: "debug", accessLog: true } });
  const worker = await createWorker(config, { logger: createLogger("debug", { write: (line: string) => lines.push(line) }) });
  try {
    const address = await worker.http.listen({ host: "127.0.0.1", port: 0 });
    const response = await fetch(`${address}/webhooks/shop-1/?token=s3cret-Token-value`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ statusCode: 404, error: "Not Found", message: "Route POST:/webhooks/shop-1/ not found" });
    // A path that is not valid percent-encoding: Fastify's own 400 quoted the whole URL, query and all.
    const badUrl = await fetch(`${address}/webhooks/shop-1%ZZ?token=s3cret-Token-value`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(badUrl.status).toBe(400);
    expect(await badUrl.json()).toEqual({ statusCode: 400, error: "Bad Request", message: "the URL's path is not valid percent-encoding" });
    // Under /console a person reads it: a page, not the API's JSON (and still no query echoed).
    for (const [path, status, said] of [
      ["/console/integrations/%ff?token=s3cret-Token-value", 400, "The address's path is not valid percent-encoding."],
      [`/console/integrations/${"x".repeat(600)}`, 414, "A part of the address is longer than 512 characters."],
    ] as const) {
      const page = await fetch(`${address}${path}`);
      expect([page.status, page.headers.get("content-type")]).toEqual([status, "text/html; charset=utf-8"]);
      const html = await page.text();
      expect(html).toContain(said);
      expect(html).not.toContain("s3cret");
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes("s3cret"))).toEqual([]);
  } finally {
    await worker.stop();
  }
});
