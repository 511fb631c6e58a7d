import { connect, type Socket } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { channelCancellation } from "./helpers/payloads.js";
import { startServe } from "./helpers/run-cli.js";
import { tempDir } from "./helpers/temp-dir.js";
import { until } from "./helpers/until.js";

const dir = tempDir();

/** Opens a connection and sends a delivery's headers and the first part of its body, never the rest. */
function slowClient(url: string, integrationId: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        `POST /webhooks/${integrationId} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"orderId":`,
      );
      resolve(socket);
    });
    socket.on("error", () => {});
    socket.once("error", reject);
  });
}

describe("restock serve: graceful shutdown", () => {
  test("a client still sending its body does not hold the stop until shutdownTimeoutMs: its connection is closed, exit 0", async () => {
    const { url, child, exited, stdout } = await startServe(["--db", join(dir, "slow-client.db"), "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "info" },
      until: ["sample-no-reason"],
    });
    const socket = await slowClient(url, "sample-no-reason");
    // The server has the request (Fastify logs it as it starts, before its body).
    await until(() => stdout().includes('"msg":"incoming request"'));
    const startedAt = Date.now();
    child.kill("SIGTERM");
    const code = await exited;
    const elapsed = Date.now() - startedAt;
    socket.destroy();
    expect(code).toBe(0);
    expect(stdout()).toContain('"msg":"stopped"');
    expect(stdout()).toContain("closing their connections");
    // A third of the default shutdownTimeoutMs (30 s), well before the forced exit at 30 s.
    expect(elapsed).toBeLessThan(15_000);
  }, 40_000);

  test("a second SIGTERM does not end the process abruptly: the graceful stop goes on, exit 0, what was acknowledged is kept", async () => {
    const db = join(dir, "two-signals.db");
    const { url, child, exited, stdout } = await startServe(["--db", db, "--port", "0", "--seed-samples"], {
      env: { RESTOCK_LOG_LEVEL: "info" },
      until: ["sample-no-reason"],
    });
    const response = await fetch(`${url}/webhooks/sample-no-reason`, {
      method: "POST",
      body: channelCancellation("TWO-SIGNALS", [{ lineId: "1", sku: "MUG", quantity: 1 }]),
      headers: { "content-type": "application/json", "x-restock-token": "sample-secret-no-reason" },
    });
    expect(response.status).toBe(202);
    child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout()).toContain('"msg":"stopped"');
    expect(stdout()).toContain("already shutting down");
    const connection = new Database(db, { readonly: true });
    try {
      expect(connection.prepare("SELECT COUNT(*) AS n FROM inbox WHERE integration_id = 'sample-no-reason'").get()).toEqual({ n: 1 });
    } finally {
      connection.close();
    }
  });
});
